//! Why a BPMN file could not be read at all (as opposed to warnings about parts of it).

use nagare_syntax::Text;

/// A file that cannot be read as BPMN 2.0. Problems with parts of a readable file are
/// diagnostics (warnings) instead, so that a city still gets the rest of its diagram.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BpmnError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "not XML: a BPMN file starts with `<?xml` or `<definitions`, this one starts with `{start}`{}",
        match looks_like {
            NotXmlKind::Flow => "; it looks like a nagare .flow file: check it with `nagare check`, or turn it into BPMN with `nagare bpmn export`",
            NotXmlKind::Json => "; it looks like JSON",
            NotXmlKind::Other => "",
        }
    )]
    NotXml {
        /// The first characters of the file, for the message.
        start: String,
        looks_like: NotXmlKind,
    },
    #[error(
        "the XML has no root element (only a declaration, comments or processing instructions)"
    )]
    NoRootElement,
    #[error("the file is declared as UTF-8 but byte {offset} (line {line}) is not valid UTF-8")]
    InvalidUtf8 { offset: usize, line: usize },
    #[error("the file is declared as US-ASCII but byte {offset} (line {line}) is not ASCII")]
    InvalidAscii { offset: usize, line: usize },
    #[error(
        "unsupported encoding `{encoding}` (supported: UTF-8, ISO-8859-1, US-ASCII); convert the file to UTF-8"
    )]
    UnsupportedEncoding { encoding: String },
    #[error("malformed XML declaration at byte {offset}: {reason}")]
    MalformedDeclaration { offset: usize, reason: String },
    #[error("malformed XML at line {line}: {message}")]
    Xml { line: usize, message: String },
    #[error(
        "namespace prefix `{prefix}` is used at line {line} but never declared (xmlns:{prefix}=…)"
    )]
    UnboundPrefix { prefix: String, line: usize },
    #[error(
        "not a BPMN 2.0 file: the root element is `{root}`, expected `definitions` in the BPMN 2.0 model namespace"
    )]
    NotBpmn { root: String },
    #[error(
        "duplicate id `{id}` (lines {first_line} and {second_line}): references to it are ambiguous"
    )]
    DuplicateId {
        id: String,
        first_line: usize,
        second_line: usize,
    },
    #[error("elements are nested too deeply (line {line})")]
    TooDeep { line: usize },
}

/// What a file that is not XML seems to be, for a more helpful message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotXmlKind {
    /// A nagare `.flow` file (a `業務:`/`process:` or `流れ:`/`flow:` line).
    Flow,
    Json,
    Other,
}

impl BpmnError {
    /// Returns the message in Japanese and English.
    #[must_use]
    pub fn message(&self) -> Text {
        let ja = match self {
            Self::Empty => "ファイルが空です".to_owned(),
            Self::NotXml { start, looks_like } => format!(
                "XML ではありません: BPMN ファイルは `<?xml` か `<definitions` で始まりますが、このファイルは `{start}` で始まります{}",
                match looks_like {
                    NotXmlKind::Flow =>
                        "。nagare の .flow ファイルのようです: `nagare check` で確認するか、`nagare bpmn export` で BPMN に変換してください",
                    NotXmlKind::Json => "。JSON のようです",
                    NotXmlKind::Other => "",
                }
            ),
            Self::NoRootElement => {
                "XML に要素がありません（宣言・コメント・処理命令だけです）".to_owned()
            }
            Self::InvalidUtf8 { offset, line } => format!(
                "UTF-8 と宣言されていますが、{offset} バイト目（{line} 行目）が UTF-8 として正しくありません"
            ),
            Self::InvalidAscii { offset, line } => format!(
                "US-ASCII と宣言されていますが、{offset} バイト目（{line} 行目）が ASCII ではありません"
            ),
            Self::UnsupportedEncoding { encoding } => format!(
                "文字コード `{encoding}` には対応していません（対応: UTF-8, ISO-8859-1, US-ASCII）。UTF-8 に変換してください"
            ),
            Self::MalformedDeclaration { offset, reason } => {
                format!("XML 宣言の {offset} バイト目が不正です: {reason}")
            }
            Self::Xml { line, message } => format!("{line} 行目の XML が不正です: {message}"),
            Self::UnboundPrefix { prefix, line } => format!(
                "名前空間接頭辞 `{prefix}` が {line} 行目で使われていますが宣言がありません（xmlns:{prefix}=…）"
            ),
            Self::NotBpmn { root } => format!(
                "BPMN 2.0 のファイルではありません: ルート要素が `{root}` です（BPMN 2.0 モデル名前空間の `definitions` が必要）"
            ),
            Self::DuplicateId {
                id,
                first_line,
                second_line,
            } => format!(
                "ID `{id}` が重複しています（{first_line} 行目と {second_line} 行目）。参照先が決まりません"
            ),
            Self::TooDeep { line } => format!("要素の入れ子が深すぎます（{line} 行目）"),
        };
        Text::new(ja, self.to_string())
    }
}
