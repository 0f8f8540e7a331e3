//! Real-browser end-to-end test: headless Chromium over WebDriver against
//! `coroner serve` with the shipped incidents. Search, open an incident, see its
//! out-of-order timeline entry, sign in with the token, close an action item,
//! check hostile HTML stays inert; screenshots land in `target/screenshots/`.
//!
//! Needs `chromium` and `chromedriver` (Debian: `chromium chromium-driver`);
//! as root the test installs them, otherwise it skips (fails with `CI=true`).

mod driver;
mod page;
mod server;

use std::path::Path;

use anyhow::{Context, Result, ensure};
use coroner::ingest::slug_for_path;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

use page::{all, attr, js, open, screenshot, wait};
use server::Server;

/// The incident a search for "submodule" must rank first: the 2017-03-06 helm
/// image mismatch, shipped twice (seed 001 is a copy), so either copy may lead.
const SUBMODULE_INCIDENT: [&str; 2] = [
    "2017-03-06-helm-config-image-mismatch.qmd",
    "001_0023c0146dd77070.txt",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_walkthrough() {
    let Some(tools) = driver::find_or_install() else {
        let msg =
            "chromium/chromedriver not found (Debian: apt-get install chromium chromium-driver)";
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "CI=true but {msg}"
        );
        eprintln!("skipping the browser test: {msg}");
        return;
    };
    let scratch = tempfile::tempdir().unwrap();
    let server = Server::start(scratch.path()).unwrap();
    let driver = driver::Chromedriver::start(&tools, scratch.path()).unwrap();
    let client = driver.session().await.unwrap();
    let outcome = walk(&client, &server).await;
    let _ = client.close().await;
    if let Err(err) = outcome {
        panic!("{err:#}\n--- coroner serve log ---\n{}", server.log_text());
    }
}

async fn walk(c: &Client, s: &Server) -> Result<()> {
    dashboard(c, s).await.context("dashboard")?;
    let slug = search_submodule(c).await.context("search")?;
    out_of_order_timeline(c)
        .await
        .context("incident timeline")?;
    sign_in(c).await.context("sign in")?;
    mark_done(c, s, &slug)
        .await
        .context("marking an action item done")?;
    hostile(c, s).await.context("hostile post-mortem")?;
    other_pages(c, s).await.context("other pages")?;
    Ok(())
}

async fn dashboard(c: &Client, s: &Server) -> Result<()> {
    open(
        c,
        &s.url("/"),
        "body[data-page=dashboard] #dashboard-counts",
    )
    .await?;
    let counted = wait(c, "[data-count=incidents] strong")
        .await?
        .text()
        .await?;
    let n: usize = counted.trim().parse().context("incident count")?;
    ensure!(n > 70, "the dashboard counts {n} incidents");
    ensure!(!all(c, "#recent-incidents .incident-item").await?.is_empty());
    ensure!(
        !all(c, "#read-only-banner").await?.is_empty(),
        "not signed in yet"
    );
    screenshot(c, "dashboard").await?;
    Ok(())
}

/// Search from the top bar; returns the first hit's slug.
async fn search_submodule(c: &Client) -> Result<String> {
    let boxed = wait(c, "#search-box").await?;
    boxed.send_keys("submodule").await?;
    boxed.send_keys(&Key::Enter.to_string()).await?;
    let first = wait(c, "body[data-page=search] #incident-results .incident-hit").await?;
    let slug = attr(&first, "data-slug").await?;
    let expected = SUBMODULE_INCIDENT.map(|f| slug_for_path(Path::new(f)));
    ensure!(
        expected.contains(&slug),
        "first hit is {slug}, not one of {expected:?}"
    );
    let marked = all(c, "#incident-results .incident-hit mark").await?;
    ensure!(!marked.is_empty(), "no highlighted search term");
    screenshot(c, "search").await?;
    first
        .find(Locator::Css("a.incident-link"))
        .await?
        .click()
        .await?;
    wait(c, &format!("#incident[data-slug=\"{slug}\"]")).await?;
    Ok(slug)
}

/// The 21:31 heading written after 23:21 is flagged, with the hour-slip correction.
async fn out_of_order_timeline(c: &Client) -> Result<()> {
    wait(c, "#ooo-summary").await?;
    let flagged = all(c, "#timeline-entries .tl-entry.out-of-order").await?;
    ensure!(!flagged.is_empty(), "no out-of-order entry");
    let mut labels = Vec::new();
    for entry in &flagged {
        let label = entry.find(Locator::Css(".tl-label")).await?.text().await?;
        let marker = entry
            .find(Locator::Css("[data-marker=out-of-order]"))
            .await?;
        ensure!(marker.is_displayed().await?, "marker hidden on {label}");
        let fix = entry
            .find(Locator::Css("[data-suggestion]"))
            .await?
            .text()
            .await?;
        labels.push((label, fix));
    }
    ensure!(
        labels
            .iter()
            .any(|(label, fix)| label.contains("21:31") && fix.contains("23:31")),
        "flagged entries and suggestions: {labels:?}"
    );
    screenshot(c, "incident").await?;
    wait(c, "#theme-toggle").await?.click().await?;
    ensure!(js(c, "document.documentElement.dataset.theme").await? == "dark");
    screenshot(c, "incident-dark").await?;
    wait(c, "#theme-toggle").await?.click().await?;
    Ok(())
}

/// Sign in through the form with the server's token; the incident page follows.
async fn sign_in(c: &Client) -> Result<()> {
    let back = c.current_url().await?.to_string();
    ensure!(
        all(c, "#action-items .action-form").await?.is_empty(),
        "action controls shown before signing in"
    );
    wait(c, "#login-link").await?.click().await?;
    let input = wait(c, "body[data-page=login] #token-input").await?;
    input.send_keys(server::TOKEN).await?;
    wait(c, "#token-submit").await?.click().await?;
    wait(c, "#logout").await?;
    ensure!(all(c, "#read-only-banner").await?.is_empty());
    open(c, &back, "#action-items .action-form").await?;
    Ok(())
}

/// Close the first open action item with its form; it stays done after a reload
/// and on the board.
async fn mark_done(c: &Client, s: &Server, slug: &str) -> Result<()> {
    let row = wait(c, "#action-items tr.action-row[data-status=open]").await?;
    let id = attr(&row, "data-action-id").await?;
    let select = row
        .find(Locator::Css("select.action-status-select"))
        .await?;
    select.select_by_value("done").await?;
    row.find(Locator::Css("[data-action-save]"))
        .await?
        .click()
        .await?;
    let done = format!("#action-{id}[data-status=done]");
    wait(c, &format!("#action-items {done}")).await?;
    c.refresh().await?;
    wait(c, &format!("#action-items {done}")).await?;
    let board = s.url(&format!("/actions?status=done&incident={slug}"));
    open(c, &board, &format!("body[data-page=actions] {done}")).await?;
    screenshot(c, "actions-done").await?;
    open(
        c,
        &s.url("/actions"),
        "body[data-page=actions] #actions-count",
    )
    .await?;
    screenshot(c, "actions").await?;
    Ok(())
}

/// Wherever the hostile post-mortem shows, nothing in it runs or frames.
async fn hostile(c: &Client, s: &Server) -> Result<()> {
    let slug = slug_for_path(Path::new(server::HOSTILE_FILE));
    open(c, &s.url(&format!("/incidents/{slug}")), "#incident").await?;
    let rows = all(c, "#action-items tr.action-row").await?;
    ensure!(rows.len() == 2, "{} action items rendered", rows.len());
    let body = wait(c, "#post-mortem-body").await?.text().await?;
    ensure!(body.contains("The author pasted HTML"), "body: {body}");
    let title_tags = js(
        c,
        "document.querySelector('#incident-title').children.length",
    )
    .await?;
    ensure!(title_tags == 0, "the title holds {title_tags} elements");
    inert(c).await?;
    screenshot(c, "hostile").await?;
    let pages = [
        format!("/actions?incident={slug}"),
        "/search?q=pwned".to_string(),
        "/".to_string(),
    ];
    for path in pages {
        open(c, &s.url(&path), "#main").await?;
        inert(c).await.with_context(|| path.clone())?;
    }
    Ok(())
}

/// No script ran, and the page holds no script, frame, handler or `javascript:` link.
async fn inert(c: &Client) -> Result<()> {
    ensure!(js(c, "typeof window.__pwned").await? == "undefined");
    let css = "main script, main iframe, main [onerror], main a[href^='javascript:' i]";
    let found = all(c, css).await?;
    if let Some(e) = found.first() {
        anyhow::bail!(
            "{} hostile element(s), e.g. {}",
            found.len(),
            e.html(false).await?
        );
    }
    Ok(())
}

async fn other_pages(c: &Client, s: &Server) -> Result<()> {
    open(
        c,
        &s.url("/findings"),
        "body[data-page=findings] #findings-count",
    )
    .await?;
    ensure!(
        !all(c, ".rule-group .finding").await?.is_empty(),
        "no findings"
    );
    screenshot(c, "findings").await?;
    open(
        c,
        &s.url("/incidents"),
        "body[data-page=incidents] #incidents-filter",
    )
    .await?;
    ensure!(
        !all(c, ".incident-item").await?.is_empty(),
        "no incidents listed"
    );
    screenshot(c, "incidents").await?;
    weekly_report(c).await
}

/// The HTML weekly report of the week holding the 2018-01-25/26 incidents,
/// reached from the top bar's Reports link and the index of weeks.
async fn weekly_report(c: &Client) -> Result<()> {
    wait(c, "nav a[href='/reports/weekly']")
        .await?
        .click()
        .await?;
    let week = wait(
        c,
        "li[data-week='2018-W04'] a[href='/reports/weekly/2018-W04']",
    )
    .await?;
    screenshot(c, "reports").await?;
    week.click().await?;
    wait(c, "nav.weeks ~ h1, h2#incidents").await?;
    let h1 = wait(c, "h1").await?.text().await?;
    ensure!(h1.contains("2018-W04"), "heading `{h1}`");
    let text = js(c, "document.body.innerText").await?;
    let text = text.as_str().unwrap_or_default();
    ensure!(
        text.contains("Hub starts up very slow"),
        "no 2018-01-26 incident"
    );
    screenshot(c, "weekly-report").await?;
    Ok(())
}
