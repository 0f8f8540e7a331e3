//! Small helpers over a WebDriver session: wait for elements, run a script,
//! save full-page screenshots under `target/screenshots/`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde_json::Value;

/// How long a page or element may take to appear.
const WAIT: Duration = Duration::from_secs(30);

/// The viewport the browser starts with (matches `--window-size`).
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;

/// Tallest full-page screenshot; longer pages are cut here.
const MAX_HEIGHT: u64 = 5000;

/// Wait until `css` matches an element, and return it.
pub async fn wait(c: &Client, css: &str) -> Result<Element> {
    match c.wait().at_most(WAIT).for_element(Locator::Css(css)).await {
        Ok(e) => Ok(e),
        Err(err) => {
            let url = c
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let title = c.title().await.unwrap_or_default();
            bail!("no `{css}` on {url} (page title `{title}`) after {WAIT:?}: {err}")
        }
    }
}

/// Load `url` and wait for `css` on it.
pub async fn open(c: &Client, url: &str, css: &str) -> Result<Element> {
    c.goto(url)
        .await
        .with_context(|| format!("cannot load {url}"))?;
    wait(c, css).await
}

/// Every element matching `css` right now.
pub async fn all(c: &Client, css: &str) -> Result<Vec<Element>> {
    Ok(c.find_all(Locator::Css(css)).await?)
}

/// The value of a JavaScript expression on the current page.
pub async fn js(c: &Client, expr: &str) -> Result<Value> {
    let script = format!("return ({expr});");
    c.execute(&script, vec![])
        .await
        .with_context(|| format!("cannot evaluate `{expr}`"))
}

/// An attribute that must be present.
pub async fn attr(e: &Element, name: &str) -> Result<String> {
    e.attr(name)
        .await?
        .with_context(|| format!("the element has no `{name}` attribute"))
}

/// Save the whole page (up to [`MAX_HEIGHT`]) as `target/screenshots/NAME.png`.
pub async fn screenshot(c: &Client, name: &str) -> Result<PathBuf> {
    // The window's height includes the browser's own bars; add them to the page's.
    let height = js(
        c,
        "document.documentElement.scrollHeight + window.outerHeight - window.innerHeight",
    )
    .await?
    .as_u64()
    .unwrap_or(u64::from(HEIGHT))
    .clamp(u64::from(HEIGHT), MAX_HEIGHT);
    c.set_window_size(WIDTH, u32::try_from(height).unwrap_or(HEIGHT))
        .await?;
    let png = c.screenshot().await;
    c.set_window_size(WIDTH, HEIGHT).await?;
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png?).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// `$CARGO_TARGET_DIR/screenshots`, else the `screenshots` folder beside the
/// profile folder holding the test's `coroner` binary (`target/debug/..`).
fn screenshot_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("screenshots");
    }
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_coroner"));
    match exe.parent().and_then(|profile| profile.parent()) {
        Some(target) => target.join("screenshots"),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots"),
    }
}
