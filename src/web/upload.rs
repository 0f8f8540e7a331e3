//! `/incidents/new`: paste or upload a markdown post-mortem, preview its parse
//! and findings, then save it into the incidents folder and the knowledge base.

use std::io::Write;
use std::path::{Path as FsPath, PathBuf};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::error::WebError;
use super::render;
use super::state::{AppState, Viewer};
use super::timeline_view::{self, Order, TimelineView};
use super::view::Layout;
use crate::ingest::{IngestOptions, slug_for_path, slugify};
use crate::model::Document;

/// What the form sent.
#[derive(Debug, Default)]
pub struct Upload {
    csrf: String,
    intent: String,
    text: String,
    file_name: String,
    name: String,
}

/// The analysis shown before saving.
pub struct Preview {
    pub doc: Document,
    pub timeline: TimelineView,
    pub body: String,
    pub file_name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "upload.html")]
pub struct UploadPage {
    layout: Layout,
    text: String,
    name: String,
    preview: Option<Preview>,
}

pub async fn form(State(state): State<AppState>, viewer: Viewer) -> UploadPage {
    UploadPage {
        layout: Layout::new("New post-mortem", "new", &viewer, &state),
        text: String::new(),
        name: String::new(),
        preview: None,
    }
}

async fn read(mut mp: Multipart) -> Result<Upload, WebError> {
    let mut up = Upload::default();
    let mut file_text = String::new();
    while let Some(field) = mp.next_field().await.map_err(bad_multipart)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            up.file_name = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(bad_multipart)?;
            file_text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                WebError::bad_request(
                    "the uploaded file is not UTF-8 text; save it as UTF-8 markdown",
                )
            })?;
            continue;
        }
        let value = field.text().await.map_err(bad_multipart)?;
        match name.as_str() {
            "csrf" => up.csrf = value,
            "intent" => up.intent = value,
            "text" => up.text = value,
            "name" => up.name = value,
            _ => {}
        }
    }
    if up.text.trim().is_empty() {
        up.text = file_text;
    }
    Ok(up)
}

fn bad_multipart(e: axum::extract::multipart::MultipartError) -> WebError {
    WebError::new(
        e.status(),
        format!("could not read the form: {}", e.body_text()),
    )
}

/// The file name to save as: the given name, the uploaded file's, or date + title.
pub fn target_name(up_name: &str, file_name: &str, doc: &Document) -> Result<String, WebError> {
    let given = [up_name, file_name]
        .into_iter()
        .map(str::trim)
        .find(|n| !n.is_empty());
    let stem = match given {
        Some(n) => {
            let base = FsPath::new(n)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("");
            slugify(base)
        }
        None => {
            let title = slugify(doc.title.as_deref().unwrap_or(""));
            match doc.date {
                Some(d) if !title.starts_with(&d.to_string()) => format!("{d}-{title}"),
                _ => title,
            }
        }
    };
    let stem = stem.trim_matches('-').to_string();
    if stem.is_empty() {
        return Err(WebError::bad_request(
            "give the post-mortem a file name or a title to name its file after",
        ));
    }
    Ok(format!("{}.md", stem.chars().take(100).collect::<String>()))
}

pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    mp: Multipart,
) -> Result<Response, WebError> {
    let up = read(mp).await?;
    viewer.csrf.check(&up.csrf)?;
    if up.text.trim().is_empty() {
        return Err(WebError::bad_request(
            "paste a post-mortem or choose a file: the text is empty",
        ));
    }
    let file_name_hint = if up.file_name.is_empty() {
        "upload.md"
    } else {
        &up.file_name
    };
    let doc = crate::analyze(file_name_hint, &up.text, &state.analyze);
    match up.intent.as_str() {
        "save" => save(&state, &viewer, &up, &doc).await,
        "" | "preview" => {
            let file_name = target_name(&up.name, &up.file_name, &doc).unwrap_or_default();
            let body = render::markdown(crate::parse::front_matter::without_front_matter(
                &up.text,
                doc.front_matter.end_line,
            ));
            let preview = Preview {
                timeline: timeline_view::build(&doc, Order::Narrative),
                doc,
                body,
                file_name,
            };
            Ok(UploadPage {
                layout: Layout::new("Preview post-mortem", "new", &viewer, &state),
                name: preview.file_name.clone(),
                text: up.text,
                preview: Some(preview),
            }
            .into_response())
        }
        other => Err(WebError::bad_request(format!(
            "`intent` must be preview or save, not `{other}`"
        ))),
    }
}

async fn save(
    state: &AppState,
    viewer: &Viewer,
    up: &Upload,
    doc: &Document,
) -> Result<Response, WebError> {
    let who = viewer.access.require()?;
    let name = target_name(&up.name, &up.file_name, doc)?;
    let path = state.incidents_dir.join(&name);
    write_new(&path, &up.text)?;
    let opts = IngestOptions {
        analyze: state.analyze.clone(),
        who: who.to_string(),
        archive_missing: false,
        ..IngestOptions::default()
    };
    let summary = match state.ingest(std::slice::from_ref(&path), &opts).await {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            return Err(e.into());
        }
    };
    if let Some(f) = summary.failed.first() {
        let _ = std::fs::remove_file(&path);
        return Err(WebError::bad_request(format!(
            "the post-mortem could not be stored: {f}"
        )));
    }
    tracing::info!("saved {} ({who})", path.display());
    Ok(Redirect::to(&format!(
        "/incidents/{}",
        super::view::encode(&slug_for_path(&path))
    ))
    .into_response())
}

/// Create the file; never overwrite one.
fn write_new(path: &PathBuf, text: &str) -> Result<(), WebError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(WebError::internal)?;
    }
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(WebError::new(
                StatusCode::CONFLICT,
                format!(
                    "{} already exists in the incidents folder; choose another file name",
                    path.file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or("the file")
                ),
            ));
        }
        Err(e) => return Err(WebError::internal(format!("{}: {e}", path.display()))),
    };
    f.write_all(text.as_bytes()).map_err(WebError::internal)
}
