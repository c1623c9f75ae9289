//! The interface of a guideline in its language: the theme's strings of `language:` (the
//! built-in file, with a project's own `templates/strings/<language>.yaml` over it, key by
//! key), the guideline's own `strings:` over those, and the page file names among them.

use std::collections::BTreeMap;
use std::path::Path;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::source::SourceFile;
use crate::base::theme::Theme;
use crate::model::pages::{Interface, PageNames};
use crate::model::Meta;

/// The interface of `meta`'s language: the strings of the built-in file's, with a project's own file of the same
/// name (`templates/strings/<language>.yaml`) replacing single strings. A language with no
/// built-in file needs a complete file of its own: every key the built-in English file has.
pub fn interface(
    theme: &Theme,
    meta: &Meta,
    meta_file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<Interface> {
    let language = meta.language.as_str();
    let name = format!("strings/{language}.yaml");
    let mut strings = match Theme::built_in_file(&name) {
        Some(bytes) => parse_strings(&theme.path_of(&name), bytes, diags)?,
        None => Default::default(),
    };
    let built_in = !strings.is_empty();
    match theme.get(&name) {
        Some(f) if f.overridden => {
            let own = parse_strings(&f.path, &f.bytes, diags)?;
            strings.extend(own);
        }
        Some(_) => {}
        None => {
            diags.push(
                Diagnostic::file(&meta_file.path, format!("no interface strings for language `{language}`"))
                    .with_help(format!(
                        "use a built-in language ({}), or add templates/strings/{language}.yaml with every string of the built-in strings/en.yaml",
                        built_in_languages().join(", ")
                    )),
            );
            return None;
        }
    }
    if !built_in {
        let reference = Theme::built_in_file("strings/en.yaml")
            .and_then(|b| parse_strings(&theme.path_of("strings/en.yaml"), b, diags))
            .unwrap_or_default();
        let missing: Vec<&String> = reference
            .keys()
            .filter(|k| !strings.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            let list: Vec<&str> = missing.iter().map(|k| k.as_str()).collect();
            diags.push(
                Diagnostic::file(
                    &theme.path_of(&name),
                    format!(
                        "{} interface string(s) missing: {}",
                        list.len(),
                        list.join(", ")
                    ),
                )
                .with_help(
                    "give every key of the built-in strings/en.yaml a text in this language",
                ),
            );
            return None;
        }
    }
    let mut ok = true;
    for (key, text) in &meta.strings {
        if strings.contains_key(key) && !key.starts_with("file_") {
            strings.insert(key.clone(), text.clone());
        } else {
            ok = false;
            diags.push(unknown_string(meta, meta_file, key));
        }
    }
    let names = match PageNames::from_strings(|k| strings.get(k).cloned()) {
        Ok(names) => Some(names),
        Err(bad) => {
            diags.push(
                Diagnostic::file(&theme.path_of(&name), format!("file names missing or not plain names: {}", bad.join(", ")))
                    .with_help("give each a plain file name (letters, digits, '-', '_', '.'), as the built-in strings files do"),
            );
            None
        }
    };
    let names = names?;
    ok.then_some(Interface { strings, names })
}

/// An unknown key under `strings:` in guideline.yaml, at its line.
fn unknown_string(meta: &Meta, meta_file: &SourceFile, key: &str) -> Diagnostic {
    let meta_path = &meta_file.path;
    let found = meta_file.text.lines().enumerate().find_map(|(i, l)| {
        let trimmed = l.trim_start();
        let rest = trimmed
            .strip_prefix(key)
            .or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")))?;
        rest.starts_with(':')
            .then_some((i + 1, l.len() - trimmed.len() + 1))
    });
    let message = format!("unknown interface string `{key}` under strings:");
    let d = match found {
        Some((line, column)) => Diagnostic::at_line(meta_path, line, column, message),
        None => Diagnostic::file(meta_path, message),
    };
    d.with_help(format!(
        "use a key of the theme's strings/{}.yaml (file names excepted), or remove it",
        meta.language
    ))
}

/// The languages the built-in theme has strings for.
pub fn built_in_languages() -> Vec<String> {
    Theme::built_in_names()
        .iter()
        .filter_map(|n| {
            n.strip_prefix("strings/")?
                .strip_suffix(".yaml")
                .map(str::to_string)
        })
        .collect()
}

fn parse_strings(
    path: &Path,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<BTreeMap<String, String>> {
    let file = match crate::base::source::decode(path, bytes.to_vec()) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let text = file.text.clone();
    crate::base::yaml::parse(&file, &text, 1, diags)
}

/// The `language:` that `content/guideline.yaml` under `content` names, read on its own and
/// leniently (for messages and the preview when the content as a whole does not load); None
/// when the file cannot be read or names none.
pub fn declared_language(content: &Path) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Language {
        #[serde(default)]
        language: Option<String>,
    }
    let mut ignored = Diagnostics::default();
    let file = crate::base::source::read_source(&content.join("guideline.yaml"), &mut ignored)?;
    let text = file.text.clone();
    crate::base::yaml::parse::<Language>(&file, &text, 1, &mut ignored)?.language
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(language: &str) -> Vec<String> {
        let bytes = Theme::built_in_file(&format!("strings/{language}.yaml")).expect("file");
        let map: BTreeMap<String, String> =
            serde_saphyr::from_str(std::str::from_utf8(bytes).expect("utf-8")).expect("yaml");
        map.into_keys().collect()
    }

    /// Every built-in language has a text for every key, and page names for every page.
    #[test]
    fn every_built_in_language_has_every_string_and_page_name() {
        let languages = built_in_languages();
        assert!(languages.contains(&"da".to_string()) && languages.contains(&"en".to_string()));
        let english = keys("en");
        for language in &languages {
            assert_eq!(
                keys(language),
                english,
                "{language} and en differ in their keys"
            );
            assert!(
                PageNames::built_in(language).is_some(),
                "{language}: page names"
            );
        }
        let (da, en) = (
            PageNames::built_in("da").expect("da"),
            PageNames::built_in("en").expect("en"),
        );
        assert_ne!(da, en);
        assert_eq!(en.file(crate::model::pages::PageKind::Toc), "contents.html");
    }
}
