//! The line-oriented recursive-descent parser.
//!
//! Each line is folded (full-width → half-width, keeping original offsets), stripped of its
//! comment and classified by the section it is in. Errors are recorded and parsing goes on with
//! the next line, so one run reports every problem. The `流れ:` lines are then nested by
//! indentation into a tree, with a depth limit.

use crate::ast::{
    ActorDecl, Branch, DocDecl, End, File, FlowNode, Header, HeaderKey, HeaderValue, Inline, Jump,
    Line, ParBranch, Parallel, Percent, RemovalDecl, Section, SectionKind, StepStmt, Stmt,
};
use crate::suggest::did_you_mean;
use crate::text::{FoldedLine, Seg};
use crate::value::{self, word};
use crate::{Diagnostic, Overflow, Span, Text};

/// The deepest nesting of branch bodies and parallel blocks accepted.
pub const MAX_DEPTH: u32 = 64;

/// Parses `source` into a syntax tree and the syntax errors found; never fails.
#[must_use]
pub fn parse(source: &str) -> (File, Vec<Diagnostic>) {
    if let Some(d) = not_text(source) {
        return (
            File {
                not_text: true,
                ..File::default()
            },
            vec![d],
        );
    }
    let mut p = Parser {
        src: source,
        diags: Vec::new(),
        lines: Vec::new(),
        section: None,
        flow_lines: Vec::new(),
        seen_headers: Vec::new(),
        bounds: Vec::new(),
        current: 0,
        overflow: Overflow::default(),
        too_deep: Vec::new(),
    };
    let start = if source.starts_with('\u{FEFF}') { 3 } else { 0 };
    p.bounds = line_bounds(source, start);
    for i in 0..p.bounds.len() {
        p.current = i;
        let (line_start, line_end) = p.bounds[i];
        p.line(line_start, line_end);
        p.overflow.compact(&mut p.diags);
    }
    let flow = p.flow_tree();
    let mut diags = p.diags;
    p.overflow.finish(&mut diags, source.len());
    (
        File {
            lines: p.lines,
            flow,
            not_text: false,
        },
        diags,
    )
}

/// Returns the start and end (without terminator) of every line from `start`.
fn line_bounds(source: &str, start: usize) -> Vec<(usize, usize)> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut line_start = start;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push((line_start, i));
                line_start = i + 1;
            }
            b'\r' => {
                out.push((line_start, i));
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if line_start < bytes.len() {
        out.push((line_start, bytes.len()));
    }
    out
}

/// Returns the E0100 "not a text file" error at byte `offset`: shared by the parser (NUL bytes in
/// UTF-8 input) and front ends that look at raw bytes first (a PNG renamed to `.flow`).
#[must_use]
pub fn not_text_diagnostic(offset: usize) -> Diagnostic {
    Diagnostic::error(
        "E0100",
        Span::new(offset, offset + 1),
        Text::new(
            "このファイルはテキストではありません (バイナリデータです)",
            "this file is not text (it looks like binary data)",
        ),
    )
    .with_hint(Text::new(
        ".flow ファイルは UTF-8 のテキストです。別のファイル (Excel, PDF, 画像…) を指定していませんか?",
        "a .flow file is UTF-8 text; is this another kind of file (Excel, PDF, an image…)?",
    ))
}

/// Returns one error if `source` is not text (NUL bytes, or mostly control characters).
fn not_text(source: &str) -> Option<Diagnostic> {
    if let Some(pos) = source.find('\0') {
        return Some(not_text_diagnostic(pos));
    }
    let mut total = 0usize;
    let mut bad = 0usize;
    let mut first_bad = None;
    for (i, c) in source.char_indices() {
        total += 1;
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || c == '\u{FFFD}' {
            bad += 1;
            first_bad.get_or_insert(i);
        }
    }
    if bad > 8 && bad * 10 > total {
        return Some(not_text_diagnostic(first_bad.unwrap_or(0)));
    }
    None
}

struct Parser<'s> {
    src: &'s str,
    diags: Vec<Diagnostic>,
    /// Counts of the diagnostics dropped to keep memory bounded (see [`Overflow`]).
    overflow: Overflow,
    lines: Vec<Line>,
    section: Option<SectionKind>,
    /// Indices into `lines` of the statements of `流れ:` sections.
    flow_lines: Vec<usize>,
    seen_headers: Vec<(HeaderKey, Span)>,
    /// Start and end of every line, so that a line can look at the lines after it.
    bounds: Vec<(usize, usize)>,
    /// The index in `bounds` of the line being parsed.
    current: usize,
    /// Lines whose body was dropped for nesting too deep (E0110), in increasing order: their
    /// branches are not "empty".
    too_deep: Vec<usize>,
}

impl Parser<'_> {
    /// Returns how many candidates a suggestion may look at (see [`value::SUGGEST_LIMIT`]).
    fn take(&self) -> usize {
        value::take(self.diags.len() <= value::SUGGEST_LIMIT)
    }

    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
        self.overflow.compact(&mut self.diags);
    }

    fn line(&mut self, start: usize, end: usize) {
        let text = self.src.get(start..end).unwrap_or_default();
        let folded = FoldedLine::new(text, start);
        let seg = folded.seg();
        let mut indent = 0u32;
        let mut skip = 0;
        for c in text.chars() {
            indent += match c {
                ' ' => 1,
                '\t' => 4,
                '\u{3000}' => 2,
                _ => break,
            };
            skip += 1;
        }
        let body = seg.from(skip);
        let hash = comment_start(body);
        let comment = hash.map(|h| trim_end_span(self.src, body.from(h).span()));
        let content = body.to(hash.unwrap_or(body.len())).trim();
        let span = Span::new(start, end);
        let mut line = Line {
            span,
            indent,
            depth: 0,
            stmt: Stmt::Blank,
            comment,
        };
        if content.is_empty() {
            self.lines.push(line);
            return;
        }
        let before = self.diags.len();
        let (stmt, depth, is_flow) = self.statement(content, indent);
        if let Some(h) = hash {
            self.closing_bracket_in_comment(before, body.from(h));
        }
        if let (Stmt::Step(step), Some(h)) = (&stmt, hash) {
            self.comment_cut_attributes(step, body.from(h));
        }
        line.stmt = stmt;
        line.depth = depth;
        if is_flow {
            self.flow_lines.push(self.lines.len());
        }
        self.lines.push(line);
    }

    /// Explains a missing `]` or `)` (E0103) reported since diagnostic `before` when the bracket
    /// is there but after a `#` that made it part of a comment (`[郵送, 10分 # メモ]`).
    fn closing_bracket_in_comment(&mut self, before: usize, comment: Seg<'_>) {
        let text = comment.folded();
        for d in self.diags.iter_mut().skip(before) {
            let close = [']', ')']
                .into_iter()
                .find(|c| d.code == "E0103" && d.message.en.contains(*c) && text.contains(*c));
            if let Some(close) = close {
                d.hints.push(Text::new(
                    format!("`#` から後ろはコメントなので、その中の `{close}` は数えられません。コメントは `{close}` の後ろに書いてください"),
                    format!("everything from `#` on is a comment, so the `{close}` in it does not count; put the comment after the `{close}`"),
                ));
            }
        }
    }

    /// Warns when a comment cut a step line that then has no attributes while the comment
    /// holds an attribute list (`S1 住民: 申請書 #1 を書く [10分]`): the author meant `#` as
    /// label text, and the step silently lost its time.
    fn comment_cut_attributes(&mut self, step: &StepStmt, comment: Seg<'_>) {
        let text = comment.folded();
        let looks_like_attrs = text
            .find('[')
            .is_some_and(|open| text[open..].trim_end().ends_with(']'));
        if step.attrs_span.is_some() || !looks_like_attrs {
            return;
        }
        let span = trim_end_span(self.src, comment.span());
        // Rebuild the line the author meant: the label and the comment up to its `[`, quoted.
        let original = self.src.get(span.range()).unwrap_or_default();
        let (cut, attrs) = original
            .find(['[', '［'])
            .map_or((original, ""), |i| original.split_at(i));
        let quoted = format!("「{} {}」 {}", step.label.text, cut.trim(), attrs.trim());
        self.err(
            Diagnostic::warning(
                "W0105",
                span,
                Text::new(
                    "`#` から後ろはコメントとして読まれたため、この手順の属性 `[…]` が無視されています",
                    "everything from `#` on was read as a comment, so this step's attributes `[…]` are ignored",
                ),
            )
            .with_label_message(Text::new("コメントとして読まれた部分", "read as a comment"))
            .with_hint(Text::new(
                format!(
                    "`#` が手順名の一部なら、手順名をかぎ括弧で囲んでください: `{quoted}`"
                ),
                format!("if `#` is part of the label, quote the label: `{quoted}`"),
            )),
        );
    }

    /// Classifies a non-empty line; returns the statement, its depth and whether it is a flow line.
    fn statement(&mut self, c: Seg<'_>, indent: u32) -> (Stmt, u32, bool) {
        let colon = c.find_colon();
        if let Some(colon) = colon {
            let key = c.to(colon).trim();
            let rest = c.from(colon + 1).trim();
            // Inside a section an indented `担当: 職員` is an item (an actor named 担当), as an
            // indented header key is; only a bare `kw:` stays a section keyword when indented,
            // because no item is ever written with nothing after its colon.
            let section_here = indent == 0 || self.section.is_none() || rest.is_empty();
            if let Some(kind) = value::section_kind(&key.folded()).filter(|_| section_here) {
                if !rest.is_empty() {
                    self.err(
                        Diagnostic::error(
                            "E0210",
                            rest.span(),
                            Text::new(
                                "区切りの見出しの後ろには何も書けません",
                                "nothing may follow a section keyword on its line",
                            ),
                        )
                        .with_hint(Text::new(
                            format!("`{}:` だけの行にして、中身は次の行から書いてください", key.folded()),
                            format!("leave `{}:` alone on its line and write the items on the following lines", key.folded()),
                        )),
                    );
                }
                self.section = Some(kind);
                return (
                    Stmt::Section(Section {
                        kind,
                        keyword: word(self.src, key),
                    }),
                    0,
                    false,
                );
            }
            if let Some(hk) = value::header_key(&key.folded())
                && (indent == 0 || self.section.is_none())
            {
                self.section = None;
                return (Stmt::Header(self.header(hk, key, rest)), 0, false);
            }
        }
        if indent == 0
            && let Some(colon) = colon
            && let Some(stmt) = self.misspelt_section(c, colon)
        {
            return (stmt, 0, false);
        }
        if colon.is_none()
            && (indent == 0 || self.section.is_none())
            && let Some(stmt) = self.keyword_without_colon(c)
        {
            return (stmt, 0, false);
        }
        match self.section {
            None => {
                self.outside_section(c, colon);
                (Stmt::Error, 0, false)
            }
            Some(SectionKind::Actors) => (self.actor(c, colon), 1, false),
            Some(SectionKind::Documents) => (self.document(c, colon), 1, false),
            Some(SectionKind::Removed) => (self.removal(c, colon), 1, false),
            Some(SectionKind::Flow) => (self.flow_stmt(c), 1, true),
        }
    }

    /// Recognises an unindented `word:` with nothing after the colon that is meant as a section
    /// keyword (`流れ図:` for `流れ:`): its word is close to a section keyword, or the lines under
    /// it look like steps. Reports one error with the suggestion and returns the section it
    /// stands for, so that the lines below are read as intended and no cascade follows.
    fn misspelt_section(&mut self, c: Seg<'_>, colon: usize) -> Option<Stmt> {
        let key = c.to(colon).trim();
        let rest = c.from(colon + 1).trim();
        let text = key.folded();
        if !rest.is_empty()
            || key.is_empty()
            || key.find(char::is_whitespace).is_some()
            || value::is_step_id(&text)
            || value::header_key(&text).is_some()
        {
            return None;
        }
        let words = value::SECTIONS.iter().map(|(k, _)| *k);
        let (keyword, kind) = match did_you_mean(&text, words) {
            Some(s) => (s, value::section_kind(s)?),
            None if self.next_lines_look_like_steps() => {
                let ascii = text.is_ascii();
                (if ascii { "flow" } else { "流れ" }, SectionKind::Flow)
            }
            None => return None,
        };
        self.err(
            Diagnostic::error(
                "E0213",
                key.span(),
                Text::new(
                    format!("`{text}` は区切りではありません。`{keyword}:` のことですか?"),
                    format!("`{text}` is not a section keyword; did you mean `{keyword}:`?"),
                ),
            )
            .with_label_message(Text::new("不明な区切り", "unknown section"))
            .with_hint(Text::new(
                format!(
                    "区切りは `担当:`, `書類:`, `流れ:`, `削除:` です。この行の下は `{keyword}:` の中身として読みました"
                ),
                format!(
                    "sections are `actors:`, `documents:`, `flow:`, `removed:`; the lines below were read as `{keyword}:`"
                ),
            )),
        );
        self.section = Some(kind);
        Some(Stmt::Section(Section {
            kind,
            keyword: word(self.src, key),
        }))
    }

    /// Recognises a section keyword or a header written without its colon (`流れ`, `担当`,
    /// `業務 転入届`), a common slip when typing fast. Reports one E0102 and reads the line as
    /// what it was meant to be, so the section's items below do not each fail as unknown
    /// headers.
    fn keyword_without_colon(&mut self, c: Seg<'_>) -> Option<Stmt> {
        let text = c.folded();
        if let Some(kind) = value::section_kind(&text) {
            self.err(missing_keyword_colon(c, &text, &format!("{text}:")));
            self.section = Some(kind);
            return Some(Stmt::Section(Section {
                kind,
                keyword: word(self.src, c),
            }));
        }
        let space = c.find(char::is_whitespace)?;
        let key = c.to(space);
        let rest = c.from(space).trim();
        let hk = value::header_key(&key.folded())?;
        let example = format!("{}: {}", key.folded(), rest.folded());
        self.err(missing_keyword_colon(key, &key.folded(), &example));
        self.section = None;
        Some(Stmt::Header(self.header(hk, key, rest)))
    }

    /// Returns true if the next non-blank, non-comment line is indented and looks like a step
    /// (`S1 住民: …`, or `…: … [attributes]`).
    fn next_lines_look_like_steps(&self) -> bool {
        let next = self
            .bounds
            .iter()
            .skip(self.current + 1)
            .filter_map(|&(s, e)| self.src.get(s..e))
            .find(|t| {
                let t = t.trim();
                !t.is_empty() && !t.starts_with('#') && !t.starts_with('＃')
            });
        let Some(line) = next else {
            return false;
        };
        if !line.starts_with([' ', '\t', '\u{3000}']) {
            return false;
        }
        let folded = crate::text::fold(line.trim());
        let Some((head, rest)) = folded.split_once(':') else {
            return false;
        };
        let first_is_id = head
            .split_whitespace()
            .next()
            .is_some_and(value::is_step_id)
            && head.split_whitespace().count() >= 2;
        first_is_id || rest.trim_end().ends_with(']')
    }

    fn outside_section(&mut self, c: Seg<'_>, colon: Option<usize>) {
        if let Some(colon) = colon {
            let key = c.to(colon).trim();
            let text = key.folded();
            let mut d = Diagnostic::error(
                "E0202",
                key.span(),
                Text::new(
                    format!("`{text}` という見出しはありません"),
                    format!("unknown header `{text}`"),
                ),
            )
            .with_label_message(Text::new("不明な見出し", "unknown header"));
            let words = value::HEADERS
                .iter()
                .map(|(k, _)| *k)
                .chain(value::SECTIONS.iter().map(|(k, _)| *k));
            if let Some(s) = did_you_mean(&text, words.take(self.take())) {
                d = d.with_hint(Text::new(
                    format!("`{s}` のことですか?"),
                    format!("did you mean `{s}`?"),
                ));
            }
            d = d.with_hint(Text::new(
                "見出しは `業務:`, `版:`, `件数:` など。担当者は `担当:`、手順は `流れ:` の行の下に書きます",
                "headers are `process:`, `variant:`, `volume:`…; actors go under `actors:`, steps under `flow:`",
            ));
            self.err(d);
        } else {
            self.err(
                Diagnostic::error(
                    "E0101",
                    c.span(),
                    Text::new("この行を理解できません", "cannot understand this line"),
                )
                .with_hint(Text::new(
                    "見出しは `業務: 名前` の形です。手順なら `流れ:` の行の下に `担当: すること` の形で書いてください",
                    "a header looks like `process: name`; steps go under a `flow:` line as `actor: what they do`",
                )),
            );
        }
    }

    fn header(&mut self, key: HeaderKey, key_seg: Seg<'_>, rest: Seg<'_>) -> Header {
        let key_word = word(self.src, key_seg);
        let value_word = word(self.src, rest);
        if key != HeaderKey::Note {
            if let Some((_, first)) = self.seen_headers.iter().find(|(k, _)| *k == key) {
                let first = *first;
                self.err(
                    Diagnostic::error(
                        "E0211",
                        key_word.span,
                        Text::new(
                            format!("`{}` が二回書かれています", key_word.text),
                            format!("`{}` is written twice", key_word.text),
                        ),
                    )
                    .with_secondary(first, Text::new("最初の指定", "first written here"))
                    .with_hint(Text::new(
                        "どちらか一方を消してください",
                        "delete one of them",
                    )),
                );
            } else {
                self.seen_headers.push((key, key_word.span));
            }
        }
        let parsed = match key {
            HeaderKey::Process | HeaderKey::Department | HeaderKey::Basis | HeaderKey::Note => {
                if rest.is_empty() && key == HeaderKey::Process {
                    self.err(
                        Diagnostic::error(
                            "E0207",
                            key_word.span,
                            Text::new("業務の名前が空です", "the process name is empty"),
                        )
                        .with_hint(Text::new(
                            "例: `業務: 軽自動車税 廃車申告`",
                            "e.g. `process: School aid application`",
                        )),
                    );
                    HeaderValue::Invalid
                } else {
                    HeaderValue::Text
                }
            }
            HeaderKey::Id => {
                let ok = !rest.is_empty()
                    && rest
                        .chars
                        .iter()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
                if ok {
                    HeaderValue::Text
                } else {
                    self.err(
                        Diagnostic::error(
                            "E0208",
                            if rest.is_empty() {
                                key_word.span
                            } else {
                                rest.span()
                            },
                            Text::new(
                                "ID には英数字と `-`, `_` だけが使えます",
                                "an id may contain only ASCII letters, digits, `-` and `_`",
                            ),
                        )
                        .with_hint(Text::new(
                            "例: `ID: keijidosha-haisha`",
                            "e.g. `id: keijidosha-haisha`",
                        )),
                    );
                    HeaderValue::Invalid
                }
            }
            HeaderKey::Variant => match value::variant(&rest.folded()) {
                Some(v) => HeaderValue::Variant(v),
                None => {
                    self.err(
                        Diagnostic::error(
                            "E0204",
                            if rest.is_empty() { key_word.span } else { rest.span() },
                            Text::new(
                                format!("`{}` という版はありません", value_word.text),
                                format!("unknown variant `{}`", value_word.text),
                            ),
                        )
                        .with_hint(Text::new(
                            "`As-Is` (現状), `Can-Be` (当面), `To-Be` (あるべき姿) のどれかを書いてください",
                            "write one of `As-Is`, `Can-Be`, `To-Be`",
                        )),
                    );
                    HeaderValue::Invalid
                }
            },
            HeaderKey::Volume => {
                self.or_invalid(crate::quantity::volume(rest).map(HeaderValue::Volume))
            }
            HeaderKey::Fee => self.or_invalid(value::fee(rest).map(HeaderValue::Fee)),
            HeaderKey::Priority | HeaderKey::OnlinePayment => match value::yes_no(&rest.folded()) {
                Some(b) => HeaderValue::Bool(b),
                None => {
                    self.err(
                        Diagnostic::error(
                            "E0209",
                            if rest.is_empty() {
                                key_word.span
                            } else {
                                rest.span()
                            },
                            Text::new("`はい` か `いいえ` を書いてください", "write `yes` or `no`"),
                        )
                        .with_hint(Text::new(
                            format!("例: `{}: はい`", key_word.text),
                            format!("e.g. `{}: yes`", key_word.text),
                        )),
                    );
                    HeaderValue::Invalid
                }
            },
        };
        Header {
            key,
            key_word,
            value: value_word,
            parsed,
        }
    }

    fn or_invalid(&mut self, r: Result<HeaderValue, Diagnostic>) -> HeaderValue {
        r.unwrap_or_else(|d| {
            self.err(d);
            HeaderValue::Invalid
        })
    }

    fn actor(&mut self, c: Seg<'_>, colon: Option<usize>) -> Stmt {
        let Some(colon) = colon else {
            self.err(
                Diagnostic::error(
                    "E0102",
                    c.span(),
                    Text::new(
                        "担当者は `名前: 種類` の形で書いてください",
                        "an actor is written `name: kind`",
                    ),
                )
                .with_hint(Text::new(
                    format!("例: `{}: 職員 (市民課)`", c.folded()),
                    format!("e.g. `{}: staff (Citizens Division)`", c.folded()),
                )),
            );
            return Stmt::Error;
        };
        let name = c.to(colon).trim();
        let rest = c.from(colon + 1).trim();
        let (kind_seg, department) = match rest.find(|ch| ch == '(') {
            Some(open) => {
                let inner = rest.from(open + 1);
                let close = inner.find(|ch| ch == ')');
                if close.is_none() {
                    self.err(missing_close(rest, open, ')'));
                }
                let dept = inner.to(close.unwrap_or(inner.len())).trim();
                (
                    rest.to(open).trim(),
                    (!dept.is_empty()).then(|| word(self.src, dept)),
                )
            }
            None => (rest, None),
        };
        if name.is_empty() {
            self.err(Diagnostic::error(
                "E0115",
                Span::at(c.off(colon) as usize),
                Text::new("`:` の前に名前がありません", "missing name before `:`"),
            ));
        }
        let kind = if kind_seg.is_empty() {
            self.err(
                Diagnostic::error(
                    "E0512",
                    c.span(),
                    Text::new("担当者の種類がありません", "the actor has no kind"),
                )
                .with_hint(kinds_hint()),
            );
            None
        } else {
            let k = value::actor_kind(&kind_seg.folded());
            if k.is_none() {
                let text = kind_seg.folded();
                let mut d = Diagnostic::error(
                    "E0512",
                    kind_seg.span(),
                    Text::new(
                        format!("`{text}` という担当者の種類はありません"),
                        format!("unknown actor kind `{text}`"),
                    ),
                );
                if let Some(advice) = value::actor_kind_advice(&text) {
                    d = d.with_hint(advice);
                } else if let Some(s) =
                    did_you_mean(&text, value::actor_kind_words().take(self.take()))
                {
                    d = d.with_hint(Text::new(
                        format!("`{s}` のことですか?"),
                        format!("did you mean `{s}`?"),
                    ));
                }
                self.err(d.with_hint(kinds_hint()));
            }
            k
        };
        Stmt::Actor(ActorDecl {
            name: word(self.src, name),
            kind,
            rest: word(self.src, rest),
            department,
        })
    }

    fn document(&mut self, c: Seg<'_>, colon: Option<usize>) -> Stmt {
        // The field list is the trailing `[...]`; the name ends at the colon (or the bracket).
        let (attrs_part, fields_part) = match trailing_brackets(c) {
            Ok(Some((open, close))) => (c.to(open), Some(c.sub(open + 1, close))),
            Ok(None) => (c, None),
            Err(open) => {
                self.err(missing_close(c, open, ']'));
                (c.to(open), Some(c.from(open + 1)))
            }
        };
        let colon = colon.filter(|&i| i < attrs_part.len());
        let (name, attrs) = match colon {
            Some(i) => (attrs_part.to(i).trim(), attrs_part.from(i + 1).trim()),
            None => (attrs_part.trim(), attrs_part.from(attrs_part.len())),
        };
        if name.is_empty() {
            self.err(
                Diagnostic::error(
                    "E0115",
                    c.span(),
                    Text::new("書類の名前がありません", "the document has no name"),
                )
                .with_hint(Text::new(
                    "例: `申請書: 紙 [氏名, 住所]`",
                    "e.g. `application: paper [name, address]`",
                )),
            );
        }
        let mut medium = None;
        let mut gov_held = false;
        let mut attr_words = Vec::new();
        for a in value::split_list(attrs) {
            let text = a.folded();
            if let Some(m) = value::doc_medium(&text) {
                medium = Some(m);
            } else if value::is_gov_held(&text) {
                gov_held = true;
            } else {
                let mut d = Diagnostic::error(
                    "E0514",
                    a.span(),
                    Text::new(
                        format!("`{text}` という書類の属性はありません"),
                        format!("unknown document attribute `{text}`"),
                    ),
                );
                if let Some(s) = did_you_mean(&text, value::doc_attr_words().take(self.take())) {
                    d = d.with_hint(Text::new(
                        format!("`{s}` のことですか?"),
                        format!("did you mean `{s}`?"),
                    ));
                }
                self.err(d.with_hint(Text::new(
                    "書類の属性は 紙, 手書き, 印刷, PDF, データ, 行政保有 です。項目は `[氏名, 住所]` のように角括弧で書きます",
                    "document attributes are paper, handwritten, printed, pdf, data, gov-held; fields go in brackets: `[name, address]`",
                )));
            }
            attr_words.push(word(self.src, a));
        }
        let fields = fields_part
            .map(|f| {
                value::split_list(f)
                    .into_iter()
                    .map(|s| word(self.src, s))
                    .collect()
            })
            .unwrap_or_default();
        Stmt::Document(DocDecl {
            name: word(self.src, name),
            medium,
            gov_held,
            attrs: attr_words,
            fields,
            has_fields: fields_part.is_some(),
            colon: colon.is_some(),
        })
    }

    fn removal(&mut self, c: Seg<'_>, colon: Option<usize>) -> Stmt {
        let Some(colon) = colon else {
            self.err(
                Diagnostic::error(
                    "E0102",
                    c.span(),
                    Text::new(
                        "削除は `ID: 理由` の形で書いてください",
                        "a removal is written `id: reason`",
                    ),
                )
                .with_hint(Text::new(
                    "例: `S6: 情報連携で省略`",
                    "e.g. `S6: replaced by data sharing`",
                )),
            );
            return Stmt::Error;
        };
        let ids_seg = c.to(colon).trim();
        let mut ids = Vec::new();
        let mut ok = true;
        for part in split_ws(ids_seg) {
            if value::is_step_id(&part.folded()) {
                ids.push(word(self.src, part));
            } else {
                ok = false;
                self.err(value::bad_step_id(self.src, part));
            }
        }
        if ids.is_empty() && ok {
            self.err(Diagnostic::error(
                "E0115",
                Span::at(c.off(colon) as usize),
                Text::new(
                    "`:` の前に手順 ID がありません",
                    "missing step id before `:`",
                ),
            ));
        }
        Stmt::Removal(RemovalDecl {
            ids,
            reason: word(self.src, c.from(colon + 1)),
        })
    }

    fn flow_stmt(&mut self, c: Seg<'_>) -> Stmt {
        let next_is = |n: usize, f: &dyn Fn(char) -> bool| c.chars.get(n).is_none_or(|&ch| f(ch));
        if c.starts_with("もし") {
            return self.branch(c, 2, false);
        }
        if c.starts_with("if") && c.chars.get(2).is_some_and(|ch| ch.is_whitespace()) {
            return self.branch(c, 2, false);
        }
        for kw in ["それ以外", "その他", "else", "otherwise"] {
            let n = kw.chars().count();
            if c.starts_with(kw)
                && next_is(n, &|ch| {
                    ch.is_whitespace() || ch == ':' || ch.is_ascii_digit()
                })
            {
                return self.branch(c, n, true);
            }
        }
        if let Some((0, len)) = value::find_arrow(c) {
            return self.jump(c, len).map_or(Stmt::Error, Stmt::Jump);
        }
        for kw in ["終了", "end"] {
            let n = kw.chars().count();
            if c.starts_with(kw) && next_is(n, &|ch| ch.is_whitespace() || ch == ':') {
                return Stmt::End(self.end(c, n));
            }
        }
        let colon = c.find_colon();
        let after_colon_empty = colon.is_some_and(|i| c.from(i + 1).trim().is_empty());
        for kw in ["並行", "並列", "parallel"] {
            if c.starts_with(kw) && after_colon_empty {
                let n = kw.chars().count();
                if c.sub(n, colon.unwrap_or(n)).trim().is_empty() {
                    return Stmt::Parallel(Parallel {
                        keyword: word(self.src, c.to(n)),
                    });
                }
            }
        }
        for kw in ["分岐", "branch"] {
            let n = kw.chars().count();
            if c.starts_with(kw)
                && after_colon_empty
                && next_is(n, &|ch| ch.is_whitespace() || ch == ':' || !kw.is_ascii())
            {
                let name = c.sub(n, colon.unwrap_or(n)).trim();
                return Stmt::ParBranch(ParBranch {
                    keyword: word(self.src, c.to(n)),
                    name: (!name.is_empty()).then(|| word(self.src, name)),
                });
            }
        }
        self.step(c, colon)
    }

    fn branch(&mut self, c: Seg<'_>, kw_len: usize, is_else: bool) -> Stmt {
        let keyword = word(self.src, c.to(kw_len));
        let after = c.from(kw_len);
        let (cond_seg, body) = match after.find_colon() {
            Some(i) => (after.to(i).trim(), Some(after.from(i + 1).trim())),
            None => {
                let arrow = value::find_arrow(after);
                let at = arrow.map_or(after.len(), |(i, _)| i);
                self.err(
                    Diagnostic::error(
                        "E0104",
                        Span::at(after.off(at) as usize),
                        Text::new(
                            "条件の後ろに `:` がありません",
                            "expected `:` after the branch condition",
                        ),
                    )
                    .with_label_message(Text::new("ここに `:`", "`:` expected here"))
                    .with_hint(Text::new(
                        "例: `もし 不備あり 10%: → S1`",
                        "e.g. `if incomplete 10%: -> S1`",
                    )),
                );
                (
                    after.to(at).trim(),
                    arrow.map(|(i, _)| after.from(i).trim()),
                )
            }
        };
        let mut probability_invalid = false;
        let (condition, probability) = match value::trailing_percent(cond_seg) {
            Some(i) => {
                let pseg = cond_seg.from(i);
                let what = Text::new("確率", "the probability");
                let p = match value::percent(pseg, &what) {
                    Ok(v) => Some(Percent {
                        value: v,
                        span: pseg.span(),
                    }),
                    Err(d) => {
                        self.err(d);
                        probability_invalid = true;
                        None
                    }
                };
                (cond_seg.to(i).trim(), p)
            }
            None => {
                if let Some(token) = probability_like_tail(cond_seg) {
                    self.unread_probability(token);
                    probability_invalid = true;
                }
                (cond_seg, None)
            }
        };
        if !is_else && condition.is_empty() {
            self.err(
                Diagnostic::error(
                    "E0116",
                    keyword.span,
                    Text::new("条件が書かれていません", "the branch has no condition"),
                )
                .with_hint(Text::new(
                    "`もし` の後ろに条件を書いてください。例: `もし 不備あり 10%:`",
                    "write the condition after `if`, e.g. `if incomplete 10%:`",
                )),
            );
        }
        let has_body_text = body.is_some_and(|b| !b.is_empty());
        let inline = body.filter(|b| !b.is_empty()).and_then(|b| {
            if let Some((0, len)) = value::find_arrow(b) {
                return self.jump(b, len).map(Inline::Jump);
            }
            for kw in ["終了", "end"] {
                let n = kw.chars().count();
                if b.starts_with(kw)
                    && b.chars.get(n).is_none_or(|&ch| ch.is_whitespace() || ch == ':')
                {
                    return Some(Inline::End(self.end(b, n)));
                }
            }
            self.err(
                Diagnostic::error(
                    "E0113",
                    b.span(),
                    Text::new(
                        "分岐の `:` の後ろには `→ 手順ID` か `終了` だけが書けます",
                        "after a branch's `:` only a jump (`-> S1`) or `end` may follow",
                    ),
                )
                .with_hint(Text::new(
                    "分岐の中の手順は次の行から、字下げして書いてください:\n  もし 不備あり:\n    窓口: 申請者に返す",
                    "write the branch's steps on the following lines, indented:\n  if incomplete:\n    Counter: return it",
                )),
            );
            None
        });
        Stmt::Branch(Branch {
            keyword,
            is_else,
            condition: (!condition.is_empty()).then(|| word(self.src, condition)),
            probability,
            probability_invalid,
            inline_invalid: has_body_text && inline.is_none(),
            inline,
        })
    }

    /// Warns (W0110) that `token`, at the end of a branch condition, looks like a probability
    /// but was not read as one (`0.1`, `(p=10%)`): the branch would silently get a share.
    fn unread_probability(&mut self, token: Seg<'_>) {
        let text = self.src.get(token.span().range()).unwrap_or_default();
        self.err(
            Diagnostic::warning(
                "W0110",
                token.span(),
                Text::new(
                    format!("条件の最後の `{text}` は確率として読めませんでした。この分岐の確率は書かれていないものとして扱います (`もし` が一つなら 50%、ほかに分岐があれば残りを等分)"),
                    format!("`{text}` at the end of the condition was not read as a probability; the branch is treated as having none (50% for a single `if`, else an equal share of the rest)"),
                ),
            )
            .with_label_message(Text::new("確率ではない", "not a probability"))
            .with_hint(Text::new(
                "確率は条件の最後に `%` を付けて書いてください。例: `もし 不備あり 10%:` (`1割` も 10% と読みます)",
                "write the probability with `%` at the end of the condition, e.g. `if incomplete 10%:`",
            ))
            .with_hint(Text::new(
                "数字が条件の一部なら、前の空白をなくす (`区分2`) か、確率も書いてください",
                "if the number is part of the condition, remove the space before it (`type2`) or write a probability too",
            )),
        );
    }

    fn jump(&mut self, c: Seg<'_>, arrow_len: usize) -> Option<Jump> {
        let target = c.from(arrow_len).trim();
        let arrow = self
            .src
            .get(c.to(arrow_len).span().range())
            .unwrap_or("→")
            .to_owned();
        if target.is_empty() {
            self.err(
                Diagnostic::error(
                    "E0114",
                    c.span(),
                    Text::new("矢印の後ろに行き先がありません", "the jump has no target"),
                )
                .with_hint(Text::new(
                    "戻る (進む) 先の手順 ID を書いてください。例: `→ S1`",
                    "write the id of the step to go to, e.g. `-> S1`",
                )),
            );
            return None;
        }
        Some(Jump {
            arrow,
            target: word(self.src, target),
            span: c.span(),
        })
    }

    fn end(&mut self, c: Seg<'_>, kw_len: usize) -> End {
        let rest = c.from(kw_len).trim();
        let rest = if rest.chars.first() == Some(&':') {
            rest.from(1).trim()
        } else {
            rest
        };
        End {
            keyword: word(self.src, c.to(kw_len)),
            label: (!rest.is_empty()).then(|| word(self.src, rest)),
            span: c.span(),
        }
    }

    fn step(&mut self, c: Seg<'_>, colon: Option<usize>) -> Stmt {
        let Some(colon) = colon else {
            let mut d = Diagnostic::error(
                "E0102",
                c.span(),
                Text::new(
                    "手順は `担当: すること` の形で書いてください",
                    "a step is written `actor: what they do`",
                ),
            )
            .with_hint(Text::new(
                "例: `S1 窓口: 申請書を受け付ける [5分]`",
                "e.g. `S1 Counter: receive the application [5min]`",
            ));
            // Guess where the colon was forgotten: after the actor, which follows an id.
            let words: Vec<String> = c.folded().split_whitespace().map(str::to_owned).collect();
            let actor = match words.as_slice() {
                [id, actor, _, ..] if value::is_step_id(id) => Some(actor.clone()),
                [actor, _, ..] if !value::is_step_id(actor) => Some(actor.clone()),
                _ => None,
            };
            if let Some(actor) = actor {
                d = d.with_hint(Text::new(
                    format!("`{actor}` の後ろに `:` を書き忘れていませんか?"),
                    format!("did you forget the `:` after `{actor}`?"),
                ));
            }
            if c.starts_with("if") || c.starts_with("else") {
                d = d.with_hint(Text::new(
                    "分岐なら条件の後ろに `:` を書いてください",
                    "for a branch, put `:` after the condition",
                ));
            }
            self.err(d);
            return Stmt::Error;
        };
        let head = c.to(colon).trim();
        let (id, actor) = match head.find(char::is_whitespace) {
            Some(ws) if value::is_step_id(&head.to(ws).folded()) => {
                (Some(word(self.src, head.to(ws))), head.from(ws).trim())
            }
            _ => (None, head),
        };
        if actor.is_empty() {
            self.err(
                Diagnostic::error(
                    "E0115",
                    Span::at(c.off(colon) as usize),
                    Text::new("`:` の前に担当者がありません", "missing actor before `:`"),
                )
                .with_hint(Text::new(
                    "例: `S1 窓口: 申請書を受け付ける`",
                    "e.g. `S1 Counter: receive the application`",
                )),
            );
        }
        let rest = c.from(colon + 1).trim();
        let (label_seg, attrs_seg, attrs_span) = match trailing_brackets(rest) {
            Ok(Some((open, close))) => (
                rest.to(open),
                Some(rest.sub(open + 1, close)),
                Some(rest.sub(open, close + 1).span()),
            ),
            Ok(None) => (rest, None, None),
            Err(open) => {
                self.err(missing_close(rest, open, ']'));
                (
                    rest.to(open),
                    Some(rest.from(open + 1)),
                    Some(rest.from(open).span()),
                )
            }
        };
        let label = label_seg.trim();
        if label.is_empty() {
            let at = Span::new(c.off(colon) as usize, c.off(colon + 1) as usize);
            let looks_like_par_branch = value::section_kind(&actor.folded()).is_some();
            let mut d = Diagnostic::error(
                "E0117",
                at,
                Text::new("手順の内容が書かれていません", "the step has no label"),
            )
            .with_hint(Text::new(
                "`:` の後ろに、その担当者がすることを書いてください。例: `窓口: 受け付ける`",
                "after `:` write what the actor does, e.g. `Counter: receive the form`",
            ));
            if looks_like_par_branch {
                d = d.with_hint(Text::new(
                    "区切りの見出しは字下げせずに書いてください",
                    "write section keywords without indentation",
                ));
            }
            self.err(d);
        }
        let mut attrs = Vec::new();
        if let Some(a) = attrs_seg {
            for part in value::split_list(a) {
                let kind = value::attribute(self.src, part, &mut self.diags);
                attrs.push(crate::ast::Attr {
                    text: self
                        .src
                        .get(part.span().range())
                        .unwrap_or_default()
                        .to_owned(),
                    span: part.span(),
                    kind,
                });
            }
        }
        Stmt::Step(StepStmt {
            id,
            actor: word(self.src, actor),
            label: word(self.src, label),
            attrs,
            attrs_span,
        })
    }

    /// Nests the flow lines by indentation (see module docs) and checks the nesting rules.
    fn flow_tree(&mut self) -> Vec<FlowNode> {
        let mut pos = 0;
        let roots = self.block(&mut pos, None, 1);
        self.check_nesting(&roots, None);
        self.check_decisions(&roots);
        roots
    }

    fn block(&mut self, pos: &mut usize, parent_indent: Option<u32>, depth: u32) -> Vec<FlowNode> {
        let mut out = Vec::new();
        let mut prev: Option<(u32, bool)> = None; // indent of the previous sibling, was it a step
        // The indent of the sibling just before, if it is a branch that ends on its own line
        // (`もし 不備 10%: → S1`): such a branch cannot have a body either.
        let mut closed_branch: Option<(u32, usize)> = None;
        while let Some(&li) = self.flow_lines.get(*pos) {
            let guard = *pos;
            let indent = self.lines[li].indent;
            if parent_indent.is_some_and(|p| indent <= p) {
                break;
            }
            *pos += 1;
            let stmt = &self.lines[li].stmt;
            let is_branch = matches!(stmt, Stmt::Branch(_));
            let is_step = matches!(stmt, Stmt::Step(_));
            let opens = match stmt {
                Stmt::Branch(b) => b.inline.is_none(),
                Stmt::Parallel(_) | Stmt::ParBranch(_) => true,
                _ => false,
            };
            let after_closed_branch = closed_branch.take();
            closed_branch = match stmt {
                Stmt::Branch(b) if b.inline.is_some() => Some((indent, li)),
                _ => None,
            };
            if let Some((bi, branch_line)) = after_closed_branch
                && indent > bi
                && !is_branch
                && !matches!(stmt, Stmt::Error)
            {
                self.under_closed_branch(li, branch_line);
            } else if let Some((pi, prev_is_step)) = prev
                && indent > pi
                && !is_branch
                && !prev_is_step
                && !matches!(stmt, Stmt::Error)
            {
                // The span covers the indentation in bytes (a tab or an ideographic space is
                // wider than one byte's worth of indentation width, or narrower).
                let (indent_span, has_tab) = self.indentation(li);
                let mut d = Diagnostic::error(
                    "E0109",
                    indent_span,
                    Text::new(
                        "上の行より深く字下げされていますが、上の行は中身を持てません",
                        "this line is indented deeper than the line above, which cannot have a body",
                    ),
                )
                .with_hint(Text::new(
                    "字下げを上の行にそろえるか、分岐 (`もし …:`) の下に入れてください",
                    "align it with the line above, or put it under a branch (`if …:`)",
                ));
                if has_tab {
                    d = d.with_hint(tab_hint());
                }
                self.err(d);
            }
            // A branch is drawn one level under the step it belongs to; an orphan branch (an
            // error reported later) stays level with its siblings so that formatting it cannot
            // move it into another block.
            let under_step = is_branch && prev.is_some_and(|(_, was_step)| was_step);
            if !is_branch {
                prev = Some((indent, is_step));
            }
            let d = if under_step { depth + 1 } else { depth };
            self.lines[li].depth = d;
            let mut children = Vec::new();
            if opens {
                if d >= MAX_DEPTH {
                    self.err(
                        Diagnostic::error(
                            "E0110",
                            self.lines[li].span,
                            Text::new(
                                format!("入れ子が深すぎます (字下げは最大 {MAX_DEPTH} 段、分岐一つで 2 段使います)"),
                                format!("nesting is too deep (at most {MAX_DEPTH} indentation levels; each branch uses two)"),
                            ),
                        )
                        .with_hint(Text::new(
                            "分岐の入れ子を減らしてください (→ で別の手順に飛ぶ書き方もできます)",
                            "nest fewer branches (a jump `->` to another step can replace nesting)",
                        )),
                    );
                    self.too_deep.push(li);
                    while self
                        .flow_lines
                        .get(*pos)
                        .is_some_and(|&l| self.lines[l].indent > indent)
                    {
                        *pos += 1;
                    }
                } else {
                    children = self.block(pos, Some(indent), d + 1);
                }
            }
            out.push(FlowNode { line: li, children });
            if *pos <= guard {
                // Progress guard: the loop must consume a line per turn; if a future change
                // breaks that, stop with an internal error instead of looping forever.
                self.err(Diagnostic::error(
                    "E0199",
                    self.lines[li].span,
                    Text::new(
                        "内部エラー: 構文解析が進みません",
                        "internal error: the parser made no progress",
                    ),
                ));
                break;
            }
        }
        out
    }

    /// Reports E0109 for line `li`, indented under a branch that ends on its own line
    /// (`もし 不備 10%: → S1`): the line is read as following the decision, which is rarely what
    /// the indentation shows, so the author must choose.
    fn under_closed_branch(&mut self, li: usize, branch_line: usize) {
        let (indent_span, has_tab) = self.indentation(li);
        let branch_span = self.content_span(branch_line);
        let mut d = Diagnostic::error(
            "E0109",
            indent_span,
            Text::new(
                "この行は上の分岐より深く字下げされていますが、その分岐は同じ行の `→` か `終了` で終わっているので中身を持てません",
                "this line is indented under a branch that already ends on its own line (`-> id` or `end`), so it cannot be that branch's body",
            ),
        )
        .with_label_message(Text::new("分岐より深い字下げ", "indented under the branch"))
        .with_secondary(
            branch_span,
            Text::new("この行で終わっている分岐", "this branch ends on its own line"),
        )
        .with_hint(Text::new(
            "分岐の中でこの手順をしてから飛ぶなら、`→` を分岐の行から外して中身の最後に書いてください:\n  もし 不備あり 10%:\n    S2 窓口: 申請者に返す\n    → S1",
            "to do this step in the branch and then jump, move the jump from the branch line to the end of its body:\n  if incomplete 10%:\n    S2 Counter: return it\n    -> S1",
        ))
        .with_hint(Text::new(
            "判断の後にどの場合も行う手順なら、判断する手順と同じ字下げにしてください",
            "if it follows the decision in every case, align it with the deciding step",
        ));
        if has_tab {
            d = d.with_hint(tab_hint());
        }
        self.err(d);
    }

    /// Warns about decisions whose empty branches suggest a slip of indentation: a decision in
    /// which no branch has a body (it changes nothing, W0108), and an empty last branch followed
    /// by a line at the branch's own indentation, deeper than the deciding step (the author
    /// probably meant that line as the branch's body, W0109). An empty `それ以外:` or `もし …:`
    /// next to a branch that does something is normal: that case just goes on.
    fn check_decisions(&mut self, nodes: &[FlowNode]) {
        let mut i = 0;
        while i < nodes.len() {
            let mut j = i + 1;
            if matches!(self.lines[nodes[i].line].stmt, Stmt::Step(_)) {
                while j < nodes.len() && matches!(self.lines[nodes[j].line].stmt, Stmt::Branch(_)) {
                    j += 1;
                }
                if j > i + 1 {
                    self.check_decision(&nodes[i], &nodes[i + 1..j], &nodes[j..]);
                }
            }
            i = j;
        }
        for node in nodes {
            self.check_decisions(&node.children);
        }
    }

    /// Checks one decision: the deciding `step`, its `branches` and the siblings `after` them.
    fn check_decision(&mut self, step: &FlowNode, branches: &[FlowNode], after: &[FlowNode]) {
        let is_empty = |n: &FlowNode| {
            n.children.is_empty()
                && self.too_deep.binary_search(&n.line).is_err()
                && matches!(&self.lines[n.line].stmt, Stmt::Branch(b) if b.inline.is_none() && !b.inline_invalid)
        };
        let Some(last) = branches.last() else {
            return;
        };
        let step_indent = self.lines[step.line].indent;
        let last_indent = self.lines[last.line].indent;
        if is_empty(last)
            && let Some(next) = after.first()
            && !matches!(self.lines[next.line].stmt, Stmt::Error | Stmt::Blank)
            && self.lines[next.line].indent == last_indent
            && last_indent > step_indent
        {
            let branch_text = self.line_text(last.line);
            let step_name = self.step_name(step.line);
            let (indent_span, has_tab) = self.indentation(next.line);
            let deeper = last_indent + 2;
            let mut d = Diagnostic::warning(
                "W0109",
                indent_span,
                Text::new(
                    format!("分岐 `{branch_text}` の中身が空で、次の行がその分岐と同じ字下げです。分岐の中身のつもりなら、もう一段深く字下げしてください"),
                    format!("the branch `{branch_text}` has no body and the next line is at the branch's own indentation: if the line belongs to the branch, indent it deeper"),
                ),
            )
            .with_label_message(Text::new("分岐と同じ字下げ", "same indentation as the branch"))
            .with_secondary(
                self.content_span(last.line),
                Text::new("中身が空の分岐", "branch with no body"),
            )
            .with_hint(Text::new(
                format!("分岐の中身にするなら、分岐より深く (空白 {deeper} 個で) 字下げしてください"),
                format!("to make it the branch's body, indent it deeper than the branch ({deeper} spaces)"),
            ))
            .with_hint(Text::new(
                format!(
                    "判断の後にどの場合も行うなら、判断をした{}{} と同じ字下げにしてください (今はそう読んでいます)",
                    if step_name.ja.starts_with(|c: char| c.is_ascii_digit()) { " " } else { "" },
                    step_name.ja
                ),
                format!("if it follows the decision in every case, align it with {}, which decides (that is how it is read now)", step_name.en),
            ));
            if has_tab {
                d = d.with_hint(tab_hint());
            }
            self.err(d);
            // `nagare fmt` keeps these lines at the branch's level instead of moving them left:
            // choosing between the two readings is the author's call, and a silent re-indent
            // would erase the evidence of what they meant (and this warning with it).
            let delta = self.lines[last.line]
                .depth
                .saturating_sub(self.lines[next.line].depth);
            // The lines at (or deeper than) the branch's indentation, with the branches of the
            // steps among them wherever those are indented: they move with their step.
            let mut run = 0;
            while let Some(n) = after.get(run) {
                let line = &self.lines[n.line];
                let is_branch = matches!(line.stmt, Stmt::Branch(_));
                if line.indent >= last_indent || (is_branch && run > 0) {
                    run += 1;
                } else {
                    break;
                }
            }
            for node in &after[..run] {
                self.shift_depth(node, delta);
            }
            return;
        }
        if !branches.iter().all(is_empty) {
            return;
        }
        let first = &branches[0];
        let mut d = Diagnostic::warning(
            "W0108",
            self.content_span(first.line),
            Text::new(
                "この判断は、どの分岐にも中身がないので流れを変えません (どの場合も次の行へ進みます)",
                "no branch of this decision has a body, so it changes nothing: every case goes on to the next line",
            ),
        )
        .with_label_message(Text::new("中身がない", "no body"));
        for b in &branches[1..] {
            d = d.with_secondary(
                self.content_span(b.line),
                Text::new("中身がない", "no body"),
            );
        }
        self.err(
            d.with_hint(Text::new(
                "分岐ごとにすることを、分岐の行の下にもう一段深く字下げして書くか、`:` の後ろに `→ S1` か `終了` を書いてください:\n  もし 不備あり 10%:\n    S4 窓口: 申請者に返す\n    → S1",
                "write what happens in each branch on the lines below it, indented deeper than the branch, or put `-> S1` or `end` after its colon:\n  if incomplete 10%:\n    S4 Counter: return it\n    -> S1",
            ))
            .with_hint(Text::new(
                "判断をしたことを図に示すだけなら、分岐の行を消して手順に `[判断]` を付けてください",
                "if you only want to show that a decision is made, delete the branch lines and mark the step `[decision]`",
            )),
        );
    }

    /// Adds `delta` to the canonical depth of `node` and everything nested under it.
    fn shift_depth(&mut self, node: &FlowNode, delta: u32) {
        self.lines[node.line].depth += delta;
        for child in &node.children {
            self.shift_depth(child, delta);
        }
    }

    /// Returns the span of line `li` without its indentation and comment.
    fn content_span(&self, li: usize) -> Span {
        let line = &self.lines[li];
        let (indent, _) = self.indentation(li);
        let end = line.comment.map_or(line.span.end, |c| c.start);
        trim_end_span(self.src, Span::new(indent.end as usize, end as usize))
    }

    /// Returns the text of line `li` without its indentation and comment.
    fn line_text(&self, li: usize) -> String {
        self.src
            .get(self.content_span(li).range())
            .unwrap_or_default()
            .to_owned()
    }

    /// Returns how messages name the step on line `li` (as nagare-model does): `手順 S1` /
    /// `step S1`, else `7 行目の手順「受け付ける」` / `step “受け付ける” (line 7)`.
    fn step_name(&self, li: usize) -> Text {
        let line = li + 1;
        match &self.lines[li].stmt {
            Stmt::Step(s) => match &s.id {
                Some(id) => Text::new(format!("手順 {}", id.text), format!("step {}", id.text)),
                None => Text::new(
                    format!("{line} 行目の手順「{}」", s.label.text),
                    format!("step “{}” (line {line})", s.label.text),
                ),
            },
            _ => Text::new(format!("{line} 行目"), format!("line {line}")),
        }
    }

    /// Returns the span of line `li`'s indentation and whether it contains a tab.
    fn indentation(&self, li: usize) -> (Span, bool) {
        let Some(line) = self.lines.get(li) else {
            return (Span::default(), false);
        };
        let text = self.src.get(line.span.range()).unwrap_or_default();
        let body = text.trim_start_matches([' ', '\t', '\u{3000}']);
        let width = text.len() - body.len();
        let start = line.span.start as usize;
        (
            Span::new(start, start + width),
            text[..width].contains('\t'),
        )
    }

    fn check_nesting(&mut self, nodes: &[FlowNode], parent: Option<usize>) {
        let parent_is_parallel =
            parent.is_some_and(|p| matches!(self.lines[p].stmt, Stmt::Parallel(_)));
        for node in nodes {
            let line = &self.lines[node.line];
            let is_par_branch = matches!(line.stmt, Stmt::ParBranch(_));
            let span = line.span;
            if parent_is_parallel && !is_par_branch && !matches!(line.stmt, Stmt::Error) {
                // The problem is where the line sits, so the caret marks its indentation.
                let (indent_span, has_tab) = self.indentation(node.line);
                let width = line.indent;
                let mut d = Diagnostic::error(
                    "E0111",
                    if indent_span.is_empty() {
                        span
                    } else {
                        indent_span
                    },
                    Text::new(
                        "`並行:` の直下には `分岐:` しか書けません",
                        "only `branch:` lines may be directly inside `parallel:`",
                    ),
                )
                .with_label_message(if has_tab {
                    Text::new(
                        format!("字下げ {width} 桁 (タブは 4 桁と数えます)"),
                        format!("indented by {width} (a tab counts as 4)"),
                    )
                } else {
                    Text::new(format!("字下げ {width} 桁"), format!("indented by {width}"))
                })
                .with_hint(Text::new(
                    "並行して行う手順を `分岐 名前:` の下に字下げして書いてください",
                    "put the steps of each parallel branch under a `branch name:` line, indented",
                ));
                if has_tab || self.indentation(p_line(parent)).1 {
                    d = d.with_hint(tab_hint());
                }
                self.err(d);
            }
            if is_par_branch && !parent_is_parallel {
                self.err(
                    Diagnostic::error(
                        "E0112",
                        span,
                        Text::new(
                            "`分岐:` は `並行:` の下に字下げして書きます",
                            "`branch:` must be indented under a `parallel:` line",
                        ),
                    )
                    .with_hint(Text::new(
                        "例:\n  並行:\n    分岐 税情報:\n      S4 税務課: 確認する",
                        "e.g.\n  parallel:\n    branch tax:\n      S4 Tax: check",
                    )),
                );
            }
            self.check_nesting(&node.children, Some(node.line));
        }
    }
}

/// Returns the last word of a branch condition when it looks like a probability that was not
/// understood: a bare number (`0.1`, `10`) or a word ending in a `%` (`(p=10%)`).
fn probability_like_tail(cond: Seg<'_>) -> Option<Seg<'_>> {
    let start = cond
        .chars
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |i| i + 1);
    if start == 0 {
        // A condition of one word names the case (`もし 2:`), even when it is a number.
        return None;
    }
    // `金額 > 10000` compares: the number is part of the condition.
    let before = cond.to(start).trim();
    if before
        .chars
        .last()
        .is_some_and(|c| matches!(c, '>' | '<' | '=' | '≥' | '≤' | '≧' | '≦'))
    {
        return None;
    }
    let token = cond.from(start);
    let text = token.folded();
    let number = text.chars().any(|c| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_digit() || c == '.');
    // `p=10%`, `(p=10%)`; but `5%以上` is a condition on a rate, not a probability.
    let percent_word = text.contains('%') && (text.ends_with('%') || text.ends_with(')'));
    (number || percent_word).then_some(token)
}

/// Returns where a `#` comment starts in `seg` (outside quotes).
///
/// A `#` starts a comment only at the start of the line or after white space, so that
/// `申請書#1` and `第３号様式＃２` stay label text (a comment cutting a label silently drops the
/// step's attributes, which is worse than a stray `#` in a name).
fn comment_start(seg: Seg<'_>) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, &c) in seg.chars.iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"') => quote = Some('"'),
            (None, '「') => quote = Some('」'),
            (None, '#') if i == 0 || seg.chars[i - 1].is_whitespace() => return Some(i),
            _ => {}
        }
    }
    None
}

fn trim_end_span(src: &str, span: Span) -> Span {
    let text = src.get(span.range()).unwrap_or_default();
    Span::new(
        span.start as usize,
        span.start as usize + text.trim_end().len(),
    )
}

fn split_ws(seg: Seg<'_>) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in seg.chars.iter().enumerate() {
        if c.is_whitespace() || c == '・' || c == ',' {
            out.push(seg.sub(start, i));
            start = i + 1;
        }
    }
    out.push(seg.from(start));
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// Finds a trailing `[...]` group in the (trimmed) `seg`.
///
/// Returns `Ok(Some((open, close)))` for a group closed at the end of the line, `Ok(None)` when
/// there is none (brackets inside the label are part of it), and `Err(open)` for a `[` that is
/// never closed.
fn trailing_brackets(seg: Seg<'_>) -> Result<Option<(usize, usize)>, usize> {
    let seg_len = seg.len();
    let trimmed_end = seg
        .chars
        .iter()
        .rposition(|c| !c.is_whitespace())
        .map_or(0, |i| i + 1);
    if trimmed_end > 0 && seg.chars[trimmed_end - 1] == ']' {
        let close = trimmed_end - 1;
        let mut depth = 0usize;
        for i in (0..=close).rev() {
            match seg.chars[i] {
                ']' => depth += 1,
                '[' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(Some((i, close)));
                    }
                }
                _ => {}
            }
        }
        return Ok(None);
    }
    // A `[` with no `]` anywhere after it: an unclosed attribute list.
    let last_open = seg.chars.iter().rposition(|&c| c == '[');
    match last_open {
        Some(open) if !seg.chars[open..seg_len].contains(&']') => Err(open),
        _ => Ok(None),
    }
}

fn missing_close(seg: Seg<'_>, open: usize, close: char) -> Diagnostic {
    let open_span = Span::new(seg.off(open) as usize, seg.off(open + 1) as usize);
    Diagnostic::error(
        "E0103",
        Span::at(seg.end as usize),
        Text::new(
            format!("閉じる `{close}` がありません"),
            format!("missing closing `{close}`"),
        ),
    )
    .with_label_message(Text::new(
        format!("ここに `{close}` が必要です"),
        format!("`{close}` expected here"),
    ))
    .with_secondary(open_span, Text::new("ここで開いています", "opened here"))
    .with_hint(Text::new(
        format!("行の最後に `{close}` を書いてください"),
        format!("add `{close}` at the end of the line"),
    ))
}

/// Returns the line index of `parent`, or an index past every line for none.
fn p_line(parent: Option<usize>) -> usize {
    parent.unwrap_or(usize::MAX)
}

/// Returns the hint explaining how tabs are counted in the indentation.
fn tab_hint() -> Text {
    Text::new(
        "タブは空白 4 つと数えます。タブと空白を混ぜると、見た目とちがう深さになります。字下げは空白だけでそろえてください",
        "a tab counts as 4 spaces, so mixing tabs and spaces can nest a line differently from how it looks; indent with spaces only",
    )
}

fn kinds_hint() -> Text {
    Text::new(
        "種類は 住民, 職員, 外部, システム, RPA のどれかです。例: `窓口: 職員 (市民課)`",
        "the kind is one of resident, staff, external, system, rpa; e.g. `Counter: staff (Citizens Division)`",
    )
}

/// E0102 for a section keyword or header key written without its colon; the caret is just
/// after the word, where the colon belongs.
fn missing_keyword_colon(key: Seg<'_>, word: &str, example: &str) -> Diagnostic {
    Diagnostic::error(
        "E0102",
        Span::at(key.end as usize),
        Text::new(
            format!("`{word}` の後ろに `:` がありません"),
            format!("`{word}` needs a `:` after it"),
        ),
    )
    .with_label_message(Text::new("ここに `:`", "`:` expected here"))
    .with_hint(Text::new(
        format!("`{example}` と書いてください (この行はそのように読みました)"),
        format!("write `{example}` (the line was read that way)"),
    ))
}
