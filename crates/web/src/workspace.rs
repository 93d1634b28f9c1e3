//! The files the user is editing: the playground's workspace, as a reducer.
//!
//! Every change to the files goes through [`WorkspaceAction`], from the file list, the editor or
//! the problems list. Each file has a stable [`FileId`], so that views can follow a file across a
//! rename (the editor keeps its undo history), and a `loaded` count that changes only when its
//! text comes from somewhere other than the editor. [`WorkspaceAction::Load`] fills it with a new
//! set of files (an example, a dropped folder, a share link, the autosaved workspace) and
//! [`WorkspaceAction::Put`] adds or replaces some ("+ New file", a pasted file); both take the
//! files as they are and check their paths with [`check_path`]. The workspace knows whether it
//! was edited since it was loaded, so that replacing edited files can be undone.

use std::fmt;
use std::rc::Rc;

use yew::Reducible;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileId(u32);

#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub id: FileId,
    /// Relative, with `/` separators: `convex/messages.ts`.
    pub path: Rc<str>,
    pub text: Rc<str>,
    /// Changes whenever the text is set from outside the editor, which must then show it.
    pub loaded: u32,
}

/// A request to put the cursor somewhere (a problem or a definition was clicked).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CursorRequest {
    pub file: FileId,
    pub line: usize,
    pub column: usize,
    /// Tells two requests for the same place apart.
    pub seq: u32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workspace {
    /// In the order the file list shows them: by folder, then by name (so the file "below" a
    /// removed one is the next one here).
    files: Rc<[File]>,
    active: Option<FileId>,
    /// Changes with every change to the files (paths or texts), not with the selection.
    revision: u32,
    cursor: Option<CursorRequest>,
    /// The last cursor request's number; never reset, so that a request after a `Load` is not
    /// taken for one the editor has already handled.
    cursor_seq: u32,
    next_id: u32,
    /// Whether the files changed since they were loaded.
    edited: bool,
}

pub enum WorkspaceAction {
    /// Replaces every file; `open` (or else the first file by path) becomes the active one.
    /// `edited` says whether the files already differ from where they came from (an autosaved
    /// workspace that had been edited).
    Load { files: Vec<(String, String)>, open: Option<String>, edited: bool },
    /// Adds files or replaces the text of those whose path exists; the first one is opened.
    Put { files: Vec<(String, String)> },
    /// The editor's text of a file after an edit.
    Edit { path: Rc<str>, text: Rc<str> },
    Rename { from: Rc<str>, to: String },
    Remove { path: Rc<str> },
    Select { path: Rc<str> },
    /// Opens a file with the cursor on a 1-based line and column.
    Reveal { path: Rc<str>, line: usize, column: usize },
}

impl Workspace {
    pub fn files(&self) -> &Rc<[File]> {
        &self.files
    }

    pub fn active(&self) -> Option<&File> {
        self.active.and_then(|id| self.files.iter().find(|f| f.id == id))
    }

    pub fn revision(&self) -> u32 {
        self.revision
    }

    /// Whether the files changed (edit, add, rename, delete) since the last `Load`.
    pub fn edited(&self) -> bool {
        self.edited
    }

    /// Every file as `(path, text)`, in the list's order.
    pub fn contents(&self) -> Vec<(String, String)> {
        self.files.iter().map(|f| (f.path.to_string(), f.text.to_string())).collect()
    }

    pub fn cursor(&self) -> Option<CursorRequest> {
        self.cursor
    }

    pub fn file(&self, path: &str) -> Option<&File> {
        self.files.iter().find(|f| &*f.path == path)
    }

    /// Checks a path typed for a new file, or for `renaming` an existing one, and returns it
    /// normalised (trimmed, `\` read as `/`).
    pub fn check_new_path(&self, typed: &str, renaming: Option<&str>) -> Result<String, PathError> {
        let path = check_path(typed)?;
        if renaming != Some(path.as_str()) && self.file(&path).is_some() {
            return Err(PathError::Exists(path));
        }
        Ok(path)
    }

    fn with_files(&self, mut files: Vec<File>) -> Workspace {
        files.sort_by(|a, b| folder_and_name(&a.path).cmp(&folder_and_name(&b.path)));
        let active = self.active.filter(|id| files.iter().any(|f| f.id == *id));
        Workspace { files: files.into(), active, revision: self.revision + 1, edited: true, ..self.clone() }
    }

    fn new_file(&mut self, path: String, text: String, loaded: u32) -> File {
        self.next_id += 1;
        File { id: FileId(self.next_id), path: path.into(), text: text.into(), loaded }
    }

    /// Puts files in, replacing the text of those that exist; returns the first one's id.
    fn put(&mut self, files: Vec<(String, String)>) -> Option<FileId> {
        let mut all = self.files.to_vec();
        let mut first = None;
        for (path, text) in files {
            let Ok(path) = check_path(&path) else { continue };
            let id = match all.iter_mut().find(|f| *f.path == *path) {
                Some(file) => {
                    file.text = text.into();
                    file.loaded += 1;
                    file.id
                }
                None => {
                    let file = self.new_file(path, text, 0);
                    let id = file.id;
                    all.push(file);
                    id
                }
            };
            first.get_or_insert(id);
        }
        *self = self.with_files(all);
        first
    }
}

impl Reducible for Workspace {
    type Action = WorkspaceAction;

    fn reduce(self: Rc<Self>, action: WorkspaceAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            WorkspaceAction::Load { files, open, edited } => {
                // Fresh ids: the editor forgets the old files, even those with the same path.
                next.files = Rc::from([]);
                next.active = None;
                next.cursor = None;
                next.put(files);
                let open = open.and_then(|path| next.file(&path).map(|f| f.id));
                next.active = open.or(next.files.first().map(|f| f.id));
                next.edited = edited;
            }
            WorkspaceAction::Put { files } => {
                let first = next.put(files);
                next.active = first.or(next.active);
            }
            WorkspaceAction::Edit { path, text } => {
                let Some(index) = self.files.iter().position(|f| f.path == path) else { return self };
                if self.files[index].text == text {
                    return self;
                }
                let mut files = self.files.to_vec();
                files[index].text = text;
                next = self.with_files(files);
            }
            WorkspaceAction::Rename { from, to } => {
                let Ok(to) = self.check_new_path(&to, Some(&from)) else { return self };
                if *to == *from {
                    return self;
                }
                let Some(index) = self.files.iter().position(|f| f.path == from) else { return self };
                let mut files = self.files.to_vec();
                files[index].path = to.into();
                next = self.with_files(files);
            }
            WorkspaceAction::Remove { path } => {
                let Some(index) = self.files.iter().position(|f| f.path == path) else { return self };
                let mut files = self.files.to_vec();
                let removed = files.remove(index);
                next = self.with_files(files);
                if self.active == Some(removed.id) {
                    // The file below it in the list, or else the one above.
                    next.active = next.files.get(index).or(next.files.last()).map(|f| f.id);
                }
            }
            WorkspaceAction::Select { path } => {
                let Some(file) = self.file(&path) else { return self };
                next.active = Some(file.id);
            }
            WorkspaceAction::Reveal { path, line, column } => {
                let Some(file) = self.file(&path) else { return self };
                next.cursor_seq += 1;
                next.active = Some(file.id);
                next.cursor = Some(CursorRequest { file: file.id, line, column, seq: next.cursor_seq });
            }
        }
        Rc::new(next)
    }
}

/// Why a typed path cannot name a file.
#[derive(Clone, Debug, PartialEq)]
pub enum PathError {
    Empty,
    Absolute,
    Parent,
    EmptyPart,
    Exists(String),
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::Empty => write!(f, "Type a path, such as convex/notes.ts."),
            PathError::Absolute => write!(f, "Use a path inside the project, such as convex/notes.ts, not an absolute one."),
            PathError::Parent => write!(f, "A path cannot leave the project with `..`."),
            PathError::EmptyPart => write!(f, "A path cannot have an empty or `.` part."),
            PathError::Exists(path) => write!(f, "{path} already exists."),
        }
    }
}

/// A path relative to the project: trimmed, `\` read as `/`, not absolute, without `..`, `.`
/// or empty parts.
pub fn check_path(typed: &str) -> Result<String, PathError> {
    let path = typed.trim().replace('\\', "/");
    let drive = path.as_bytes().get(1) == Some(&b':') && path.as_bytes()[0].is_ascii_alphabetic();
    if path.is_empty() {
        Err(PathError::Empty)
    } else if path.starts_with('/') || path.starts_with('~') || drive {
        Err(PathError::Absolute)
    } else if path.split('/').any(|part| part == "..") {
        Err(PathError::Parent)
    } else if path.split('/').any(|part| part.is_empty() || part == ".") {
        Err(PathError::EmptyPart)
    } else {
        Ok(path)
    }
}

/// `convex/lib` and `auth.ts` of `convex/lib/auth.ts`.
pub fn folder_and_name(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    fn reduce(workspace: Rc<Workspace>, action: WorkspaceAction) -> Rc<Workspace> {
        workspace.reduce(action)
    }

    fn loaded(paths: &[&str]) -> Rc<Workspace> {
        let files = paths.iter().map(|p| (p.to_string(), format!("// {p}"))).collect();
        reduce(Rc::default(), WorkspaceAction::Load { files, open: None, edited: false })
    }

    fn paths(workspace: &Workspace) -> Vec<&str> {
        workspace.files().iter().map(|f| &*f.path).collect()
    }

    fn active(workspace: &Workspace) -> Option<&str> {
        workspace.active().map(|f| &*f.path)
    }

    #[wasm_bindgen_test]
    fn files_are_kept_sorted_and_the_first_is_opened() {
        let workspace = loaded(&["convex/users.ts", "convex/schema.ts"]);
        assert_eq!(paths(&workspace), ["convex/schema.ts", "convex/users.ts"]);
        assert_eq!(active(&workspace), Some("convex/schema.ts"));
    }

    #[wasm_bindgen_test]
    fn typed_paths_are_refused_with_a_reason() {
        let workspace = loaded(&["convex/schema.ts"]);
        let check = |typed| workspace.check_new_path(typed, None);
        assert_eq!(check("  "), Err(PathError::Empty));
        assert_eq!(check("/etc/passwd"), Err(PathError::Absolute));
        assert_eq!(check("C:\\convex\\a.ts"), Err(PathError::Absolute));
        assert_eq!(check("convex/../../a.ts"), Err(PathError::Parent));
        assert_eq!(check("convex//a.ts"), Err(PathError::EmptyPart));
        assert_eq!(check("convex/schema.ts"), Err(PathError::Exists("convex/schema.ts".into())));
        assert_eq!(check(" convex\\lib\\a.ts "), Ok("convex/lib/a.ts".into()));
        assert_eq!(workspace.check_new_path("convex/schema.ts", Some("convex/schema.ts")), Ok("convex/schema.ts".into()));
    }

    #[wasm_bindgen_test]
    fn a_rename_keeps_the_file_and_its_text_and_changes_the_revision() {
        let workspace = loaded(&["convex/a.ts", "convex/b.ts"]);
        let before = workspace.file("convex/a.ts").unwrap().clone();
        let renamed = reduce(workspace.clone(), WorkspaceAction::Rename { from: before.path.clone(), to: "convex/c.ts".into() });
        assert_eq!(paths(&renamed), ["convex/b.ts", "convex/c.ts"]);
        let after = renamed.file("convex/c.ts").unwrap();
        assert_eq!((after.id, &after.text), (before.id, &before.text));
        assert_ne!(renamed.revision(), workspace.revision());
        // A rename onto an existing file is refused.
        let refused = reduce(renamed.clone(), WorkspaceAction::Rename { from: "convex/c.ts".into(), to: "convex/b.ts".into() });
        assert!(Rc::ptr_eq(&refused, &renamed));
    }

    #[wasm_bindgen_test]
    fn removing_the_active_file_opens_its_neighbour() {
        let workspace = loaded(&["convex/a.ts", "convex/b.ts", "convex/c.ts"]);
        let workspace = reduce(workspace, WorkspaceAction::Select { path: "convex/b.ts".into() });
        let workspace = reduce(workspace, WorkspaceAction::Remove { path: "convex/b.ts".into() });
        assert_eq!(active(&workspace), Some("convex/c.ts"));
        let workspace = reduce(workspace, WorkspaceAction::Remove { path: "convex/c.ts".into() });
        assert_eq!(active(&workspace), Some("convex/a.ts"));
        let workspace = reduce(workspace, WorkspaceAction::Remove { path: "convex/a.ts".into() });
        assert_eq!(active(&workspace), None);
    }

    /// The neighbour is the file shown below in the list, which orders by folder first (it used
    /// to be the next path: `convex/lib/auth.ts` after `convex/http.ts`).
    #[wasm_bindgen_test]
    fn removing_the_active_file_opens_the_one_listed_below_it() {
        let workspace = loaded(&["convex/http.ts", "convex/lib/auth.ts", "convex/messages.ts"]);
        assert_eq!(paths(&workspace), ["convex/http.ts", "convex/messages.ts", "convex/lib/auth.ts"]);
        let workspace = reduce(workspace, WorkspaceAction::Select { path: "convex/http.ts".into() });
        let workspace = reduce(workspace, WorkspaceAction::Remove { path: "convex/http.ts".into() });
        assert_eq!(active(&workspace), Some("convex/messages.ts"));
    }

    #[wasm_bindgen_test]
    fn edits_change_the_text_but_not_the_loaded_count_and_selection_leaves_the_revision() {
        let workspace = loaded(&["convex/a.ts", "convex/b.ts"]);
        let edited = reduce(workspace.clone(), WorkspaceAction::Edit { path: "convex/b.ts".into(), text: "x".into() });
        let file = edited.file("convex/b.ts").unwrap();
        assert_eq!((&*file.text, file.loaded), ("x", 0));
        let selected = reduce(edited.clone(), WorkspaceAction::Select { path: "convex/b.ts".into() });
        assert_eq!(selected.revision(), edited.revision());
        let put = reduce(selected, WorkspaceAction::Put { files: vec![("convex/b.ts".into(), "y".into()), ("convex/new.ts".into(), String::new())] });
        assert_eq!(put.file("convex/b.ts").unwrap().loaded, 1);
        assert_eq!(paths(&put), ["convex/a.ts", "convex/b.ts", "convex/new.ts"]);
        assert_eq!(active(&put), Some("convex/b.ts"));
    }

    #[wasm_bindgen_test]
    fn a_load_clears_the_edited_mark_and_a_change_to_the_files_sets_it() {
        let workspace = loaded(&["convex/a.ts"]);
        assert!(!workspace.edited());
        let selected = reduce(workspace.clone(), WorkspaceAction::Select { path: "convex/a.ts".into() });
        assert!(!selected.edited(), "opening a file changes nothing");
        let edited = reduce(selected, WorkspaceAction::Edit { path: "convex/a.ts".into(), text: "x".into() });
        assert!(edited.edited());
        let files = vec![("convex/a.ts".into(), "y".into())];
        let restored = reduce(edited, WorkspaceAction::Load { files, open: None, edited: true });
        assert!(restored.edited(), "an autosaved workspace that had been edited stays edited");
        assert_eq!(restored.contents(), [("convex/a.ts".to_string(), "y".to_string())]);
    }

    #[wasm_bindgen_test]
    fn reveal_opens_the_file_with_a_new_cursor_request_each_time() {
        let workspace = loaded(&["convex/a.ts", "convex/b.ts"]);
        let reveal = || WorkspaceAction::Reveal { path: "convex/b.ts".into(), line: 3, column: 7 };
        let first = reduce(workspace, reveal());
        let second = reduce(first.clone(), reveal());
        assert_eq!(active(&second), Some("convex/b.ts"));
        let (a, b) = (first.cursor().unwrap(), second.cursor().unwrap());
        assert_eq!((b.line, b.column), (3, 7));
        assert_ne!(a.seq, b.seq);
        // A new workspace does not start the numbering again, or the editor, which remembers
        // the last request it handled, would ignore the next one.
        let reloaded = reduce(second.clone(), WorkspaceAction::Load { files: vec![("convex/b.ts".into(), String::new())], open: None, edited: false });
        let third = reduce(reloaded, reveal());
        assert!(third.cursor().unwrap().seq > b.seq);
    }
}
