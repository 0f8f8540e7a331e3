//! Markdown → sanitized HTML. Post-mortems are pasted from chat and written by
//! many hands: whatever they contain, no script, event handler, `javascript:`
//! URL, iframe or style survives.

use std::collections::HashSet;

use pulldown_cmark::{Parser, html};

/// Render a post-mortem body (front matter already removed) as safe HTML.
pub fn markdown(text: &str) -> String {
    let parser = Parser::new_ext(text, crate::parse::blocks::options());
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, parser);
    sanitize(&out)
}

/// Clean HTML with ammonia's allow-list, plus task-list checkboxes.
pub fn sanitize(html: &str) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_generic_attributes(["id"])
        .id_prefix(Some("md-"))
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(HashSet::from(["http", "https", "mailto"]));
    builder.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_scripts_handlers_javascript_urls_and_iframes() {
        let md = "# T <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n\
                  [click](javascript:alert(1)) <iframe src=\"https://evil\"></iframe>\n\n\
                  <a href=\"JaVaScRiPt:alert(2)\">x</a> <div onclick=\"x()\">d</div>\n";
        let html = markdown(md).to_lowercase();
        for bad in ["<script", "onerror", "javascript:", "<iframe", "onclick"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(html.contains("<h1>"), "{html}");
    }

    #[test]
    fn keeps_tables_task_lists_and_links() {
        let html = markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n[l](https://x.org)");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("checkbox"), "{html}");
        assert!(html.contains("href=\"https://x.org\""), "{html}");
        assert!(html.contains("noopener"), "{html}");
    }
}
