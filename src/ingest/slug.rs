//! An incident's slug, from its file name: `2017-03-06-helm-config-image-mismatch.qmd`
//! → `2017-03-06-helm-config-image-mismatch`.

use std::path::Path;

/// Longest slug kept (in characters); longer names are cut at a word boundary.
const MAX_LEN: usize = 100;

/// The slug for a post-mortem file: its name without the extension, lowercase,
/// runs of anything but letters and digits turned into one `-`. A dot inside a
/// title (`v0.6 upgrade`) is not an extension; a name with no letters or digits
/// gives `incident`.
pub fn slug_for_path(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.contains(' ') && ext.len() <= 8 => stem,
        _ => &name,
    };
    slugify(stem)
}

/// Lowercase letters and digits joined by single dashes.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    if slug.chars().count() > MAX_LEN {
        let cut: String = slug.chars().take(MAX_LEN).collect();
        slug = match cut.rfind('-') {
            Some(i) if i > MAX_LEN / 2 => cut[..i].to_string(),
            _ => cut,
        };
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "incident".into()
    } else {
        slug.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_real_names() {
        let cases = [
            (
                "incidents/berkeley-dsep-infra__datahub/2017-03-06-helm-config-image-mismatch.qmd",
                "2017-03-06-helm-config-image-mismatch",
            ),
            (
                "PM2019-009 - Kubernetes network infrastructure IP starvation.md",
                "pm2019-009-kubernetes-network-infrastructure-ip-starvation",
            ),
            (
                "PM2022-009 - Bad AWS EKS AMI causing Kubernetes issues",
                "pm2022-009-bad-aws-eks-ami-causing-kubernetes-issues",
            ),
            ("seeds/000_954bac17e647708a.txt", "000-954bac17e647708a"),
            ("Helm v0.6 upgrade", "helm-v0-6-upgrade"),
            (
                "Ausfall der Datenbank (Übersicht).md",
                "ausfall-der-datenbank-übersicht",
            ),
            ("---.md", "incident"),
        ];
        for (path, slug) in cases {
            assert_eq!(slug_for_path(Path::new(path)), slug, "{path}");
        }
    }

    #[test]
    fn long_names_are_cut_at_a_dash() {
        let long = "word ".repeat(40);
        let slug = slugify(&long);
        assert!(
            slug.chars().count() <= MAX_LEN && !slug.ends_with('-'),
            "{slug}"
        );
    }
}
