//! The playground's state as a share link and the autosave keep it: the files, the open file,
//! the selected results tab, the example that Reset returns to, and whether the files were
//! edited since they were loaded. Its JSON is the payload of both; `share` compresses it into a
//! link and `storage` keeps it in `localStorage`.

use serde::{Deserialize, Serialize};

use crate::workspace::Workspace;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// `(path, text)`, as the workspace lists them.
    pub files: Vec<(String, String)>,
    #[serde(default)]
    pub open: Option<String>,
    /// A results tab's id (`Tab::id`); an unknown one selects the first tab.
    #[serde(default)]
    pub tab: String,
    /// The example Reset returns to.
    #[serde(default)]
    pub example: Option<String>,
    #[serde(default)]
    pub edited: bool,
}

impl Snapshot {
    pub fn of(workspace: &Workspace, tab: &str, example: &str) -> Snapshot {
        Snapshot {
            files: workspace.contents(),
            open: workspace.active().map(|f| f.path.to_string()),
            tab: tab.to_owned(),
            example: Some(example.to_owned()),
            edited: workspace.edited(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a snapshot is plain data")
    }

    pub fn from_json(json: &str) -> Result<Snapshot, serde_json::Error> {
        serde_json::from_str(json)
    }
}
