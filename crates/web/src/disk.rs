//! Reading files from disk: a drop of files or folders onto the page (each item's
//! `webkitGetAsEntry()`, folders read recursively) and the file inputs (several files, or a
//! folder with `webkitdirectory`). Both give [`Found`] files to the rules of `import`, and only
//! the files these take are read. Folders that are never used (`node_modules/`) are not walked,
//! and a walk stops at [`MAX_ENTRIES`], so that a huge tree cannot hang the page.

use js_sys::{Array, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, File, FileList, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry};

use crate::import::{self, Found, Skip, MAX_ENTRIES};

/// The file's path from the folder chosen in a `webkitdirectory` input (web-sys lacks it);
/// empty for files chosen one by one.
fn relative_path(file: &File) -> String {
    js_sys::Reflect::get(file, &"webkitRelativePath".into()).ok().and_then(|p| p.as_string()).unwrap_or_default()
}

/// What an import gives the workspace.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub files: Vec<(String, String)>,
    /// What was taken and what was left out, one sentence a line.
    pub note: Vec<String>,
}

/// Files found on disk, not read yet; a folder that was not walked has no file.
#[derive(Default)]
struct Listing {
    found: Vec<Found>,
    files: Vec<Option<File>>,
    truncated: bool,
}

impl Listing {
    fn push_file(&mut self, path: String, file: File) {
        self.found.push(Found { path, size: file.size() });
        self.files.push(Some(file));
    }

    fn push_unread_folder(&mut self, path: String) {
        self.found.push(Found { path: format!("{path}/"), size: 0.0 });
        self.files.push(None);
    }
}

/// Whether a drag carries files (not text dragged within the editor, which is left alone).
pub fn carries_files(event: &DragEvent) -> bool {
    event.data_transfer().is_some_and(|transfer| transfer.types().includes(&"Files".into(), 0))
}

/// The dropped items, taken while the event lasts (a `DataTransfer` is emptied after it).
pub fn dropped_entries(event: &DragEvent) -> Vec<FileSystemEntry> {
    let Some(items) = event.data_transfer().map(|t| t.items()) else { return Vec::new() };
    (0..items.length()).filter_map(|i| items.get(i)).filter(|item| item.kind() == "file").filter_map(|item| item.webkit_get_as_entry().ok().flatten()).collect()
}

/// Reads dropped files and folders.
pub async fn read_entries(entries: Vec<FileSystemEntry>) -> Imported {
    let mut listing = Listing::default();
    let mut pending: Vec<FileSystemEntry> = entries;
    let mut visited = 0;
    while let Some(entry) = pending.pop() {
        visited += 1;
        if visited > MAX_ENTRIES {
            listing.truncated = true;
            break;
        }
        let path = entry.full_path().trim_start_matches('/').to_owned();
        if entry.is_directory() {
            if import::is_ignored_folder(&entry.name()) {
                listing.push_unread_folder(path);
                continue;
            }
            let directory: FileSystemDirectoryEntry = entry.unchecked_into();
            match directory_entries(&directory).await {
                // Popped from the end: reversed, they are walked in the folder's order.
                Ok(children) => pending.extend(children.into_iter().rev()),
                Err(_) => listing.push_unread_folder(path),
            }
        } else if let Ok(file) = entry_file(entry.unchecked_ref()).await {
            listing.push_file(path, file);
        }
    }
    read(listing).await
}

/// The files of a file input's list, taken out of it: the list is live, and empties when the
/// input is cleared for the next choice.
pub fn chosen_files(list: &FileList) -> Vec<File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads the files chosen in a file input (with their folder's path for `webkitdirectory`).
pub async fn read_files(chosen: Vec<File>) -> Imported {
    let mut listing = Listing::default();
    for file in chosen {
        let relative = relative_path(&file);
        let path = if relative.is_empty() { file.name() } else { relative };
        listing.push_file(path, file);
    }
    read(listing).await
}

/// Every entry of a folder: `readEntries` gives them in batches until an empty one.
async fn directory_entries(directory: &FileSystemDirectoryEntry) -> Result<Vec<FileSystemEntry>, JsValue> {
    let reader = directory.create_reader();
    let mut entries = Vec::new();
    loop {
        let batch = Promise::new(&mut |resolve, reject| {
            let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
        });
        let batch: Array = JsFuture::from(batch).await?.unchecked_into();
        if batch.length() == 0 || entries.len() > MAX_ENTRIES {
            return Ok(entries);
        }
        entries.extend(batch.iter().map(JsCast::unchecked_into));
    }
}

async fn entry_file(entry: &FileSystemFileEntry) -> Result<File, JsValue> {
    let file = Promise::new(&mut |resolve, reject| entry.file_with_callback_and_callback(&resolve, &reject));
    Ok(JsFuture::from(file).await?.unchecked_into())
}

async fn text_of(file: &File) -> Result<String, JsValue> {
    Ok(JsFuture::from(file.text()).await?.as_string().unwrap_or_default())
}

/// Applies the import rules and reads the files they take.
async fn read(listing: Listing) -> Imported {
    let (paths, renamed) = import::project_paths(&listing.found);
    let config = match paths.iter().position(|p| p == "convex.json").and_then(|i| listing.files[i].as_ref()) {
        Some(file) => text_of(file).await.ok(),
        None => None,
    };
    let functions_dir = import::functions_dir(config.as_deref());
    let mut plan = import::plan(&listing.found, &paths, &functions_dir, listing.truncated);
    plan.renamed = renamed;
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    for (index, path) in &plan.take {
        let text = match &listing.files[*index] {
            Some(file) => text_of(file).await.ok(),
            None => None,
        };
        match text {
            Some(text) if !import::is_binary(&text) => files.push((path.clone(), text)),
            _ => unreadable.push(path.clone()),
        }
    }
    plan.take.retain(|(_, path)| !unreadable.contains(path));
    plan.skipped.extend(unreadable.into_iter().map(|path| (path, Skip::Binary)));
    let note = import::note(&plan, &functions_dir);
    Imported { files, note }
}
