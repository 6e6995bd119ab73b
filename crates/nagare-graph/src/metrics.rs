//! The metric values of one process variant as plain serde data, and their flat display rows.
//!
//! JSON keys are stable snake_case (documented in `docs/metrics.md`); front ends and the diff
//! rely on them and on the row keys, which are the JSON paths of the values.

use nagare_syntax::Text;
use serde::{Deserialize, Serialize};

/// A count both as written in the model (structural) and as expected per case (weighted by v(s)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Count {
    /// How many places in the model (steps, edges…), whatever the probabilities.
    pub structural: usize,
    /// How many times per case on average: Σ v(s) over those places.
    pub expected: f64,
}

/// Steps by the kind of their actor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ByActorKind {
    pub resident: Count,
    pub staff: Count,
    pub external: Count,
    pub system: Count,
    pub rpa: Count,
}

/// 工程数: work steps (kinds task, decision and subprocess).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct StepMetrics {
    pub structural: usize,
    pub expected: f64,
    pub by_actor_kind: ByActorKind,
}

/// One cell of the actor-to-actor handover matrix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HandoffCell {
    pub from: String,
    pub to: String,
    /// Transitions from `from` to `to` written in the model.
    pub count: usize,
    /// Expected transitions per case.
    pub expected: f64,
}

/// 引継ぎ: transitions between steps of different actors.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Handoffs {
    pub structural: usize,
    pub expected: f64,
    /// Of them, handoffs between two people (neither actor a system or RPA): automation adds
    /// handoffs to machines, which do not cost a person's attention the same way.
    pub between_people: Count,
    /// Non-empty cells, ordered by (from, to) actor declaration order.
    pub matrix: Vec<HandoffCell>,
}

/// 記入: resident form filling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Handwriting {
    /// Resident steps that fill in a document.
    pub steps: Count,
    /// Fields the resident writes.
    pub fields: Count,
    /// Of `fields.structural`, those written on a paper document (real handwriting).
    pub fields_on_paper: usize,
}

/// 重複記入: information the resident supplies needlessly.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DuplicateEntry {
    /// `repeated + gov_held`.
    pub total: usize,
    /// Extra writings of a field the resident already wrote in another fill (occurrences − 1, summed).
    pub repeated: usize,
    /// Fields of gov-held documents the resident must fill in or attach.
    pub gov_held: usize,
    /// Names of the repeated fields, in order of first writing.
    pub repeated_fields: Vec<String>,
    /// Names of the gov-held fields asked for, in order of first use.
    pub gov_held_fields: Vec<String>,
}

/// 転記: re-keying of data already captured upstream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Transcriptions {
    pub structural: usize,
    pub expected: f64,
    /// Structural transcriptions whose source is paper (a paper document or a fill on paper).
    pub from_paper: usize,
    /// Structural transcriptions whose source is a system or electronic data.
    pub from_system: usize,
    /// Of them, re-keying done by people (not by a system or RPA actor).
    pub by_people: Count,
}

/// 押印: seal or signature requirements.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Seals {
    /// Steps requiring a seal or a signature.
    pub structural: usize,
    pub expected: f64,
    /// Steps requiring a seal.
    pub seal: usize,
    /// Steps requiring a signature.
    pub signature: usize,
}

/// 添付書類: documents attached to the application.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Attachments {
    /// Distinct documents attached anywhere in the flow.
    pub total: usize,
    /// Of them, documents the city already holds.
    pub gov_held: usize,
}

/// システム数: systems used.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Systems {
    pub distinct: usize,
    /// Transitions where one actor goes from one system straight to another.
    pub switches: Count,
    /// System names in order of first appearance (actors first, then steps).
    pub names: Vec<String>,
}

/// 処理時間: expected work minutes per case, by actor kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcessTime {
    pub total: f64,
    pub resident: f64,
    pub staff: f64,
    pub external: f64,
    /// System and RPA actors.
    pub automated: f64,
}

/// 待ち時間 (minutes per case).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct WaitTime {
    /// Lead time minus process time (DOMAIN.md), never below 0.
    pub total: f64,
    /// Time the resident waits while at the office (queues, counter processing).
    pub resident_present: f64,
}

/// 住民負担 (minutes per case).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ResidentBurden {
    pub total: f64,
    /// The resident's own work (filling in, submitting…).
    pub work: f64,
    /// Waiting while present at the office.
    pub wait: f64,
    /// Travel: expected visits × `travel_minutes_per_visit`.
    pub travel: f64,
}

/// A share between 0 and 1, over the steps as written and over expected executions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Ratio {
    pub structural: f64,
    pub expected: f64,
}

/// Annual values (per-case expectations × volume); present only when the volume is known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PerYear {
    pub handoffs: f64,
    pub paper_touchpoints: f64,
    pub visits: f64,
    pub transcriptions: f64,
    pub seals: f64,
    pub resident_hours: f64,
    pub staff_hours: f64,
}

/// Every metric of DOMAIN.md §4 for one process variant.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Cases per year, copied from the model.
    pub volume_per_year: Option<f64>,
    pub steps: StepMetrics,
    /// 判断: branching points (decision steps and steps with several outgoing paths).
    pub decisions: Count,
    pub handoffs: Handoffs,
    /// 紙接点: steps on paper or using a paper document.
    pub paper_touchpoints: Count,
    /// 来庁回数: visit episodes; structural = steps where a visit can begin.
    pub visits: Count,
    /// 窓口数: distinct staff actors the resident meets in person.
    pub counters: usize,
    /// Their names, in declaration order.
    pub counter_actors: Vec<String>,
    pub handwriting: Handwriting,
    pub duplicate_entry: DuplicateEntry,
    pub transcriptions: Transcriptions,
    pub seals: Seals,
    pub attachments: Attachments,
    pub systems: Systems,
    pub process_time_minutes: ProcessTime,
    /// リードタイム: expected elapsed minutes start → end (parallel blocks take their longest branch).
    pub lead_time_minutes: f64,
    /// The same with every duration at its p90 (`10〜20分` → 20) where a range is given: a
    /// pessimistic lead time, not the 90th percentile of the lead time itself.
    pub lead_time_p90_minutes: f64,
    pub wait_minutes: WaitTime,
    /// 活動比率: process time / lead time (0 when the lead time is 0; above 1 when parallel
    /// branches work at the same time).
    pub activity_ratio: f64,
    /// 業務量: staff work hours per year (None without a volume).
    pub staff_hours_per_year: Option<f64>,
    /// Full-time equivalents of `staff_hours_per_year`.
    pub fte: Option<f64>,
    pub resident_burden_minutes: ResidentBurden,
    /// デジタル化率: share of work steps done digitally or by a system/RPA.
    pub digital_ratio: Ratio,
    /// デジタル完結: a start → end path exists with no paper and no in-person step.
    pub digital_completion: bool,
    /// 自動化率: share of expected step executions by system or RPA actors.
    pub automation_rate: f64,
    /// Annual values (None without a volume).
    pub per_year: Option<PerYear>,
}

/// What a row's value measures, for formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A whole number of things in the model.
    Count,
    /// An expected number of times per case (fractional).
    PerCase,
    /// A number of times per year.
    PerYear,
    Minutes,
    Hours,
    /// A share between 0 and 1 (displayed as a percentage).
    Ratio,
    /// 0 or 1.
    Bool,
    /// Full-time equivalents.
    Fte,
}

/// Which direction of change is an improvement, for colouring deltas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Lower,
    Higher,
    Neutral,
}

/// One headline metric, flat, for tables, CSV, the viewer and the diff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricRow {
    /// Stable key: the JSON path of the value (`handoffs.expected`).
    pub key: &'static str,
    pub label: Text,
    pub unit: Unit,
    /// The value; booleans as 0/1.
    pub value: f64,
    pub better: Better,
}

fn row(key: &'static str, ja: &str, en: &str, unit: Unit, value: f64, better: Better) -> MetricRow {
    MetricRow {
        key,
        label: Text::new(ja, en),
        unit,
        value,
        better,
    }
}

#[allow(clippy::cast_precision_loss)] // counts in a process model are far below 2^52
fn n(count: usize) -> f64 {
    count as f64
}

/// Returns every row key in display order, including the annual rows that need a volume: the
/// CSV header and the portfolio use it so columns never shift between models.
#[must_use]
pub fn row_keys() -> Vec<&'static str> {
    let full = Metrics {
        volume_per_year: Some(1.0),
        staff_hours_per_year: Some(0.0),
        fte: Some(0.0),
        per_year: Some(PerYear::default()),
        ..Metrics::default()
    };
    full.rows().iter().map(|r| r.key).collect()
}

impl Metrics {
    /// Returns every headline metric as a flat row, in a fixed display order (used by diff deltas,
    /// tables, the viewer). Annual rows are left out when the volume is unknown rather than shown
    /// as a misleading 0.
    #[must_use]
    #[allow(clippy::too_many_lines)] // one line per row reads better than helpers
    pub fn rows(&self) -> Vec<MetricRow> {
        use Better::{Higher, Lower, Neutral};
        use Unit::{Bool, Count, Fte, Hours, Minutes, PerCase, PerYear, Ratio};
        let s = &self.steps;
        let k = &s.by_actor_kind;
        let mut rows = vec![
            row(
                "steps.structural",
                "工程数",
                "Steps",
                Count,
                n(s.structural),
                Lower,
            ),
            row(
                "steps.expected",
                "工程数（1件あたり期待値）",
                "Steps per case (expected)",
                PerCase,
                s.expected,
                Lower,
            ),
            row(
                "steps.by_actor_kind.resident.structural",
                "住民の工程",
                "Resident steps",
                Count,
                n(k.resident.structural),
                Lower,
            ),
            row(
                "steps.by_actor_kind.staff.structural",
                "職員の工程",
                "Staff steps",
                Count,
                n(k.staff.structural),
                Lower,
            ),
            row(
                "steps.by_actor_kind.external.structural",
                "外部の工程",
                "External steps",
                Count,
                n(k.external.structural),
                Neutral,
            ),
            row(
                "steps.by_actor_kind.system.structural",
                "システムの工程",
                "System steps",
                Count,
                n(k.system.structural),
                Neutral,
            ),
            row(
                "steps.by_actor_kind.rpa.structural",
                "RPAの工程",
                "RPA steps",
                Count,
                n(k.rpa.structural),
                Neutral,
            ),
            row(
                "decisions.structural",
                "判断",
                "Decisions",
                Count,
                n(self.decisions.structural),
                Lower,
            ),
            row(
                "handoffs.structural",
                "引継ぎ",
                "Handoffs",
                Count,
                n(self.handoffs.structural),
                Lower,
            ),
            row(
                "handoffs.expected",
                "引継ぎ（1件あたり）",
                "Handoffs per case",
                PerCase,
                self.handoffs.expected,
                Lower,
            ),
            row(
                "handoffs.between_people.expected",
                "引継ぎ（人から人、1件あたり）",
                "Handoffs between people per case",
                PerCase,
                self.handoffs.between_people.expected,
                Lower,
            ),
            row(
                "paper_touchpoints.structural",
                "紙接点",
                "Paper touchpoints",
                Count,
                n(self.paper_touchpoints.structural),
                Lower,
            ),
            row(
                "paper_touchpoints.expected",
                "紙接点（1件あたり）",
                "Paper touchpoints per case",
                PerCase,
                self.paper_touchpoints.expected,
                Lower,
            ),
            row(
                "visits.expected",
                "来庁回数（1件あたり）",
                "Office visits per case",
                PerCase,
                self.visits.expected,
                Lower,
            ),
            row(
                "counters",
                "窓口数",
                "Counters met",
                Count,
                n(self.counters),
                Lower,
            ),
            row(
                "handwriting.steps.structural",
                "住民の記入工程",
                "Resident form-filling steps",
                Count,
                n(self.handwriting.steps.structural),
                Lower,
            ),
            row(
                "handwriting.fields.structural",
                "記入項目数",
                "Fields written by the resident",
                Count,
                n(self.handwriting.fields.structural),
                Lower,
            ),
            row(
                "handwriting.fields.expected",
                "記入項目数（1件あたり）",
                "Fields written per case",
                PerCase,
                self.handwriting.fields.expected,
                Lower,
            ),
            row(
                "duplicate_entry.total",
                "重複記入",
                "Duplicate entries",
                Count,
                n(self.duplicate_entry.total),
                Lower,
            ),
            row(
                "transcriptions.structural",
                "転記",
                "Transcriptions",
                Count,
                n(self.transcriptions.structural),
                Lower,
            ),
            row(
                "transcriptions.expected",
                "転記（1件あたり）",
                "Transcriptions per case",
                PerCase,
                self.transcriptions.expected,
                Lower,
            ),
            row(
                "transcriptions.by_people.expected",
                "転記（人手、1件あたり）",
                "Transcriptions by people per case",
                PerCase,
                self.transcriptions.by_people.expected,
                Lower,
            ),
            row(
                "seals.structural",
                "押印・署名",
                "Seals and signatures",
                Count,
                n(self.seals.structural),
                Lower,
            ),
            row(
                "attachments.total",
                "添付書類",
                "Attachments",
                Count,
                n(self.attachments.total),
                Lower,
            ),
            row(
                "attachments.gov_held",
                "添付書類（行政保有）",
                "Attachments the city holds",
                Count,
                n(self.attachments.gov_held),
                Lower,
            ),
            row(
                "systems.distinct",
                "システム数",
                "Systems",
                Count,
                n(self.systems.distinct),
                Neutral,
            ),
            row(
                "systems.switches.expected",
                "システム切替（1件あたり）",
                "System switches per case",
                PerCase,
                self.systems.switches.expected,
                Lower,
            ),
            row(
                "process_time_minutes.total",
                "処理時間",
                "Process time",
                Minutes,
                self.process_time_minutes.total,
                Lower,
            ),
            row(
                "process_time_minutes.resident",
                "処理時間（住民）",
                "Process time (resident)",
                Minutes,
                self.process_time_minutes.resident,
                Lower,
            ),
            row(
                "process_time_minutes.staff",
                "処理時間（職員）",
                "Process time (staff)",
                Minutes,
                self.process_time_minutes.staff,
                Lower,
            ),
            row(
                "lead_time_minutes",
                "リードタイム",
                "Lead time",
                Minutes,
                self.lead_time_minutes,
                Lower,
            ),
            row(
                "lead_time_p90_minutes",
                "リードタイム（長め: p90）",
                "Lead time (p90 durations)",
                Minutes,
                self.lead_time_p90_minutes,
                Lower,
            ),
            row(
                "wait_minutes.total",
                "待ち時間",
                "Waiting time",
                Minutes,
                self.wait_minutes.total,
                Lower,
            ),
            row(
                "wait_minutes.resident_present",
                "来庁中の待ち時間",
                "Resident waiting at the office",
                Minutes,
                self.wait_minutes.resident_present,
                Lower,
            ),
            row(
                "activity_ratio",
                "活動比率",
                "Activity ratio",
                Ratio,
                self.activity_ratio,
                Higher,
            ),
        ];
        if let Some(hours) = self.staff_hours_per_year {
            rows.push(row(
                "staff_hours_per_year",
                "業務量（職員）",
                "Staff workload",
                Hours,
                hours,
                Lower,
            ));
        }
        if let Some(fte) = self.fte {
            rows.push(row(
                "fte",
                "業務量（人工）",
                "Staff workload (FTE)",
                Fte,
                fte,
                Lower,
            ));
        }
        let b = &self.resident_burden_minutes;
        rows.extend([
            row(
                "resident_burden_minutes.total",
                "住民負担",
                "Resident burden",
                Minutes,
                b.total,
                Lower,
            ),
            row(
                "resident_burden_minutes.travel",
                "住民負担（移動）",
                "Resident burden (travel)",
                Minutes,
                b.travel,
                Lower,
            ),
            row(
                "digital_ratio.structural",
                "デジタル化率",
                "Digital ratio",
                Ratio,
                self.digital_ratio.structural,
                Higher,
            ),
            row(
                "digital_ratio.expected",
                "デジタル化率（実行回数）",
                "Digital ratio (by executions)",
                Ratio,
                self.digital_ratio.expected,
                Higher,
            ),
            row(
                "digital_completion",
                "デジタル完結",
                "Digital completion",
                Bool,
                if self.digital_completion { 1.0 } else { 0.0 },
                Higher,
            ),
            row(
                "automation_rate",
                "自動化率",
                "Automation rate",
                Ratio,
                self.automation_rate,
                Higher,
            ),
        ]);
        if let Some(y) = &self.per_year {
            rows.extend([
                row(
                    "per_year.handoffs",
                    "引継ぎ（年間）",
                    "Handoffs per year",
                    PerYear,
                    y.handoffs,
                    Lower,
                ),
                row(
                    "per_year.paper_touchpoints",
                    "紙接点（年間）",
                    "Paper touchpoints per year",
                    PerYear,
                    y.paper_touchpoints,
                    Lower,
                ),
                row(
                    "per_year.visits",
                    "来庁回数（年間）",
                    "Office visits per year",
                    PerYear,
                    y.visits,
                    Lower,
                ),
                row(
                    "per_year.transcriptions",
                    "転記（年間）",
                    "Transcriptions per year",
                    PerYear,
                    y.transcriptions,
                    Lower,
                ),
                row(
                    "per_year.resident_hours",
                    "住民負担（年間）",
                    "Resident burden per year",
                    Hours,
                    y.resident_hours,
                    Lower,
                ),
            ]);
        }
        rows
    }
}
