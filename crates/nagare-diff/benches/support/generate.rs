//! Generates large As-Is / To-Be pairs with known changes, for the bench and the scale test.
//!
//! Deterministic (a fixed linear congruential generator), no ids on To-Be steps, so every match
//! must be found by the automatic phase: the worst case for the matcher.

use nagare_model::{ActorKind, Model, ModelBuilder, Variant};

const NOUNS: [&str; 40] = [
    "申請書",
    "届出書",
    "住民票",
    "戸籍",
    "課税台帳",
    "納税通知",
    "受付簿",
    "台帳",
    "証明書",
    "通知書",
    "交付申請",
    "異動届",
    "口座情報",
    "世帯情報",
    "所得情報",
    "車両情報",
    "標識",
    "決定通知",
    "請求書",
    "領収書",
    "名簿",
    "調査票",
    "判定結果",
    "審査資料",
    "添付書類",
    "本人確認書類",
    "委任状",
    "手数料",
    "収納情報",
    "還付金",
    "補助金",
    "助成金",
    "給付金",
    "利用者",
    "事業者",
    "申告内容",
    "入力データ",
    "照会結果",
    "回答書",
    "督促状",
];
const VERBS: [&str; 20] = [
    "受け付ける",
    "確認する",
    "審査する",
    "入力する",
    "照合する",
    "作成する",
    "発送する",
    "保管する",
    "決裁する",
    "登録する",
    "更新する",
    "印刷する",
    "点検する",
    "集計する",
    "送付する",
    "交付する",
    "回付する",
    "起案する",
    "修正する",
    "通知する",
];
/// Rewordings used for renamed steps: (verb, synonym).
const SYNONYMS: [(&str, &str); 8] = [
    ("受け付ける", "受理する"),
    ("確認する", "チェックする"),
    ("審査する", "精査する"),
    ("入力する", "登録処理する"),
    ("作成する", "作る"),
    ("発送する", "郵送する"),
    ("点検する", "検査する"),
    ("送付する", "送る"),
];

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap_or(0)
    }
}

/// A generated pair and the known answer.
pub struct Pair {
    pub as_is: Model,
    pub to_be: Model,
    /// For each As-Is step, the To-Be step it became (`None`: removed).
    #[allow(dead_code)] // read by the scale test, not by the bench
    pub truth: Vec<Option<usize>>,
}

struct Spec {
    actor: usize,
    label: String,
}

const ACTORS: usize = 20;

fn build(variant: Variant, steps: &[Spec], ids: bool) -> Model {
    let mut b = ModelBuilder::new("生成").variant(variant).volume(1000.0);
    for a in 0..ACTORS {
        let kind = match a {
            0 => ActorKind::Resident,
            17 | 18 => ActorKind::System,
            19 => ActorKind::Rpa,
            _ => ActorKind::Staff,
        };
        b.actor(&format!("担当{a}"), kind);
    }
    let mut nodes = vec![0];
    for (i, s) in steps.iter().enumerate() {
        let id = b.step(s.actor, &s.label);
        if ids {
            b.step_id(id, &format!("S{}", i + 1));
        }
        nodes.push(b.node_of(id));
    }
    let end = b.end();
    nodes.push(end);
    b.chain(&nodes);
    b.finish()
}

fn random_label(rng: &mut Lcg) -> String {
    format!(
        "{}の{}を{}",
        NOUNS[rng.next() % NOUNS.len()],
        NOUNS[rng.next() % NOUNS.len()],
        VERBS[rng.next() % VERBS.len()]
    )
}

/// Returns an `n`-step pair where about `change` of the steps change: a quarter each renamed,
/// removed, moved to another actor, and as many new steps added.
#[must_use]
pub fn pair(n: usize, change: f64, seed: u64) -> Pair {
    let mut rng = Lcg(seed);
    let as_is: Vec<Spec> = (0..n)
        .map(|_| Spec {
            actor: rng.next() % ACTORS,
            label: random_label(&mut rng),
        })
        .collect();
    // Out of 10,000 per step: renamed, removed, moved, added-after.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let quarter = (change / 4.0 * 10_000.0) as usize;
    let mut to_be: Vec<Spec> = Vec::new();
    let mut truth = Vec::with_capacity(n);
    for s in &as_is {
        let roll = rng.next() % 10_000;
        if roll < quarter {
            // Renamed: a synonym for the verb when there is one, else an extra word.
            let label = SYNONYMS
                .iter()
                .find(|(v, _)| s.label.ends_with(v))
                .map_or_else(
                    || format!("速やかに{}", s.label),
                    |(v, syn)| format!("{}{syn}", &s.label[..s.label.len() - v.len()]),
                );
            truth.push(Some(to_be.len()));
            to_be.push(Spec {
                actor: s.actor,
                label,
            });
        } else if roll < 2 * quarter {
            truth.push(None);
        } else if roll < 3 * quarter {
            truth.push(Some(to_be.len()));
            to_be.push(Spec {
                actor: (s.actor + 1 + rng.next() % (ACTORS - 1)) % ACTORS,
                label: s.label.clone(),
            });
        } else {
            truth.push(Some(to_be.len()));
            to_be.push(Spec {
                actor: s.actor,
                label: s.label.clone(),
            });
        }
        if rng.next() % 10_000 < quarter {
            to_be.push(Spec {
                actor: rng.next() % ACTORS,
                label: format!("新たに{}", random_label(&mut rng)),
            });
        }
    }
    Pair {
        as_is: build(Variant::AsIs, &as_is, false),
        to_be: build(Variant::ToBe, &to_be, false),
        truth,
    }
}
