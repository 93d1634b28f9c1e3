//! Autosave: the last state ([`Snapshot`]) in `localStorage`, written a moment after each
//! change and read when the page opens (a share link wins over it). Storage may be disabled
//! (privacy settings, some embedded browsers), full, or hold something this version cannot
//! read; each of these gives a reason the page shows, never a failure of the page.

use crate::snapshot::Snapshot;

/// Versioned like share links, so that a later format does not misread this one.
const KEY: &str = "convex-lens.workspace.v1";

fn storage() -> Result<web_sys::Storage, String> {
    let window = gloo::utils::window();
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) | Err(_) => Err("this browser does not allow local storage for this page".into()),
    }
}

/// The autosaved state: `Ok(None)` when there is none.
pub fn load() -> Result<Option<Snapshot>, String> {
    let Some(json) = storage()?.get_item(KEY).map_err(|_| "local storage cannot be read".to_string())? else { return Ok(None) };
    Snapshot::from_json(&json).map(Some).map_err(|e| format!("the autosaved workspace cannot be read ({e})"))
}

pub fn save(snapshot: &Snapshot) -> Result<(), String> {
    let storage = storage()?;
    storage.set_item(KEY, &snapshot.to_json()).map_err(|error| {
        let name = js_sys::Reflect::get(&error, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
        if name == "QuotaExceededError" {
            "local storage is full (the files are too big for it); use a share link to keep them".to_string()
        } else {
            format!("local storage refused the files ({name})")
        }
    })
}

#[cfg(test)]
pub fn clear() {
    if let Ok(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_saved_state_is_read_back_and_a_damaged_one_gives_a_reason() {
        clear();
        assert_eq!(load(), Ok(None));
        let snapshot = Snapshot { files: vec![("convex/a.ts".into(), "x".into())], open: None, tab: "tables".into(), example: None, edited: true };
        save(&snapshot).unwrap();
        assert_eq!(load(), Ok(Some(snapshot)));
        storage().unwrap().set_item(KEY, "{not json").unwrap();
        assert!(load().unwrap_err().contains("cannot be read"));
        clear();
    }

    #[wasm_bindgen_test]
    fn a_full_storage_says_so() {
        clear();
        // Far beyond the 5 to 10 MiB browsers give a page.
        let text = "x".repeat(12 << 20);
        let snapshot = Snapshot { files: vec![("convex/big.ts".into(), text)], open: None, tab: String::new(), example: None, edited: true };
        let error = save(&snapshot).unwrap_err();
        assert!(error.contains("full"), "{error}");
        clear();
    }
}
