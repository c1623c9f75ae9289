//! Splitting a section file into its YAML front matter and its Markdown body.

/// The two parts of a section file, with where each starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the file where the YAML starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, PartialEq)]
pub enum SplitError {
    Empty,
    Missing,
    Unclosed,
}

impl SplitError {
    pub fn message(&self) -> &'static str {
        match self {
            SplitError::Empty => {
                "empty file: a section needs front matter (id, number, title, kind) and text"
            }
            SplitError::Missing => {
                "missing front matter: a section file must start with a line `---`"
            }
            SplitError::Unclosed => "front matter is not closed: add a line `---` after the YAML",
        }
    }
}

/// Split normalised text (LF line endings, no BOM) at its `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let rest = match text.strip_prefix("---\n") {
        Some(rest) => rest,
        None if text.trim_end() == "---" => return Err(SplitError::Unclosed),
        None => return Err(SplitError::Missing),
    };
    let yaml_start = 4;
    let mut pos = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..pos];
            let body_offset = yaml_start + pos + line.len();
            return Ok(Split {
                yaml,
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
            });
        }
        pos += line.len();
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let s = split("---\nid: a\n---\nText\n").unwrap();
        assert_eq!(s.yaml, "id: a\n");
        assert_eq!(s.body, "Text\n");
        assert_eq!(s.body_offset, 14);
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split("Text"), Err(SplitError::Missing));
        assert_eq!(split("---\nid: a\n"), Err(SplitError::Unclosed));
        assert_eq!(split(" \n"), Err(SplitError::Empty));
        assert_eq!(split("---\n---\n").unwrap().yaml, "");
    }
}
