//! Headless Chromium over WebDriver: find (or, as root, install) chromedriver,
//! run it on a free loopback port for the test's lifetime, open a session.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// Browser flags: headless, no sandbox (CI runs as root in a container), fixed size.
const CHROME_ARGS: [&str; 5] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
];

/// The Debian packages the test needs.
const PACKAGES: [&str; 2] = ["chromium", "chromium-driver"];

/// chromedriver and the browser it drives.
pub struct Tools {
    pub chromedriver: PathBuf,
    pub chromium: PathBuf,
}

/// The tools, installed with apt-get when missing and running as root; `None` when
/// they are missing and cannot be installed (the caller skips, or fails on CI).
pub fn find_or_install() -> Option<Tools> {
    if let Some(tools) = find() {
        return Some(tools);
    }
    if !is_root() {
        return None;
    }
    eprintln!(
        "browser test: installing {} with apt-get",
        PACKAGES.join(" ")
    );
    if !apt_install() {
        // A fresh container has no package lists yet.
        let _ = apt(&["update", "-q"]);
        apt_install();
    }
    find()
}

fn find() -> Option<Tools> {
    let chromedriver = from_env_or_path("CHROMEDRIVER", &["chromedriver"])?;
    let chromium = from_env_or_path(
        "CHROME",
        &[
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ],
    )?;
    Some(Tools {
        chromedriver,
        chromium,
    })
}

/// `$VAR` when set to an existing file, else the first of `names` on `PATH`.
fn from_env_or_path(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var).map(PathBuf::from) {
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into());
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn apt_install() -> bool {
    let mut args = vec!["install", "-y", "-q"];
    args.extend(PACKAGES);
    apt(&args)
}

fn apt(args: &[&str]) -> bool {
    Command::new("apt-get")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A running chromedriver, killed on drop.
pub struct Chromedriver {
    child: Child,
    port: u16,
    chromium: PathBuf,
    profile: PathBuf,
}

impl Chromedriver {
    /// Start chromedriver on a free loopback port and wait until it accepts connections.
    pub fn start(tools: &Tools, scratch: &Path) -> Result<Chromedriver> {
        let port = free_port()?;
        let log = std::fs::File::create(scratch.join("chromedriver.log"))?;
        let child = Command::new(&tools.chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .with_context(|| format!("cannot start {}", tools.chromedriver.display()))?;
        let driver = Chromedriver {
            child,
            port,
            chromium: tools.chromium.clone(),
            profile: scratch.join("chromium-profile"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if Instant::now() > deadline {
                bail!("chromedriver did not listen on port {port} within 30 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    /// A new headless browser session.
    pub async fn session(&self) -> Result<Client> {
        let mut args: Vec<String> = CHROME_ARGS.iter().map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", self.profile.display()));
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": self.chromium, "args": args },
        });
        let serde_json::Value::Object(caps) = caps else {
            bail!("capabilities must be a JSON object");
        };
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .context("cannot open a Chromium session through chromedriver")
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on right now (the OS picks it).
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}
