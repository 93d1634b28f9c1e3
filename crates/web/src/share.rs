//! Share links: the whole state ([`Snapshot`]) in the URL fragment, so that nothing is uploaded
//! anywhere. The fragment is `#v1=` then the base64url (no padding) of the snapshot's JSON
//! compressed with raw deflate. The version comes first so that a later format can still tell
//! an old link and say what it is rather than show garbage.
//!
//! Compression is the browser's own `CompressionStream("deflate-raw")`: it costs the wasm
//! nothing (a Rust deflate such as miniz_oxide adds tens of KiB) and runs natively. Every
//! browser the playground runs in has it (Chrome 103, Firefox 113, Safari 16.4). web-sys marks
//! these streams unstable (behind `--cfg=web_sys_unstable_apis` for the whole build), so the
//! few calls needed are declared here.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::snapshot::Snapshot;

/// The format links are written in.
pub const VERSION: u32 = 1;

/// Bigger decompressed links are refused: a few bytes of deflate can stand for gigabytes, and
/// a link is not trusted input. Far above any real backend (the examples are about 20 KiB).
pub const MAX_LINK_JSON_BYTES: usize = 16 << 20;

#[wasm_bindgen]
extern "C" {
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;

    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["navigator", "clipboard"], js_name = writeText)]
    fn write_to_clipboard(text: &str) -> Result<js_sys::Promise, JsValue>;
}

/// Why a fragment gives no state.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkError {
    /// Written by a version of the playground that this one does not know.
    UnknownVersion(String),
    /// Not base64url, not deflate, not a snapshot, or too big.
    Damaged(String),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::UnknownVersion(version) => {
                write!(f, "This share link is in format {version}, which this version of convex-lens cannot read (it reads v{VERSION}).")
            }
            LinkError::Damaged(why) => write!(f, "This share link is damaged ({why}); it may have been cut short when it was copied."),
        }
    }
}

/// The compressed payload of a link's fragment (with or without its `#`), if the fragment is a
/// share link at all: `None` for no fragment or one that is not ours (`#top`).
pub fn payload_of(fragment: &str) -> Option<Result<Vec<u8>, LinkError>> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let (version, data) = fragment.split_once('=')?;
    let number = version.strip_prefix('v').filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))?;
    if number != VERSION.to_string() {
        return Some(Err(LinkError::UnknownVersion(version.to_owned())));
    }
    Some(URL_SAFE_NO_PAD.decode(data.trim()).map_err(|e| LinkError::Damaged(format!("not base64url: {e}"))))
}

/// The fragment, with its `#`, for a compressed payload.
pub fn fragment_of(payload: &[u8]) -> String {
    format!("#v{VERSION}={}", URL_SAFE_NO_PAD.encode(payload))
}

/// The fragment of a link to `snapshot`.
pub async fn encode(snapshot: &Snapshot) -> Result<String, JsValue> {
    let stream = CompressionStream::new("deflate-raw")?;
    let compressed = transform(snapshot.to_json().as_bytes(), stream.unchecked_ref(), usize::MAX).await?;
    Ok(fragment_of(&compressed.ok_or("the compressed link is too big")?))
}

/// The snapshot in a fragment; `None` if the fragment is not a share link.
pub async fn decode(fragment: &str) -> Option<Result<Snapshot, LinkError>> {
    let payload = match payload_of(fragment)? {
        Ok(payload) => payload,
        Err(error) => return Some(Err(error)),
    };
    Some(inflate(&payload).await.and_then(|json| Snapshot::from_json(&json).map_err(|e| LinkError::Damaged(format!("not a workspace: {e}")))))
}

async fn inflate(payload: &[u8]) -> Result<String, LinkError> {
    let damaged = |why: &str| LinkError::Damaged(why.to_owned());
    let stream = DecompressionStream::new("deflate-raw").map_err(|_| damaged("this browser cannot decompress it"))?;
    let bytes = transform(payload, stream.unchecked_ref(), MAX_LINK_JSON_BYTES).await.map_err(|_| damaged("not deflate data"))?;
    let bytes = bytes.ok_or_else(|| LinkError::Damaged(format!("it holds more than {} MiB", MAX_LINK_JSON_BYTES >> 20)))?;
    String::from_utf8(bytes).map_err(|_| damaged("not UTF-8 text"))
}

/// Runs `input` through a transform stream (a `{ readable, writable }` pair), reading at most
/// `limit` bytes of its output: `None` past that.
async fn transform(input: &[u8], pair: &web_sys::ReadableWritablePair, limit: usize) -> Result<Option<Vec<u8>>, JsValue> {
    let parts = js_sys::Array::of1(&Uint8Array::from(input));
    let source = web_sys::Blob::new_with_u8_array_sequence(&parts)?;
    let reader: web_sys::ReadableStreamDefaultReader = source.stream().pipe_through(pair).get_reader().unchecked_into();
    let mut output = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        if Reflect::get(&chunk, &"done".into())?.is_truthy() {
            return Ok(Some(output));
        }
        let bytes: Uint8Array = Reflect::get(&chunk, &"value".into())?.unchecked_into();
        if output.len() + bytes.length() as usize > limit {
            let _ = reader.cancel();
            return Ok(None);
        }
        output.extend(bytes.to_vec());
    }
}

/// Copies `text` to the clipboard; false when the browser refuses (no permission, no focus, an
/// insecure origin), and the caller shows the text to copy by hand.
pub async fn copy_to_clipboard(text: &str) -> bool {
    match write_to_clipboard(text) {
        Ok(promise) => JsFuture::from(promise).await.is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn snapshot() -> Snapshot {
        Snapshot {
            files: vec![
                ("convex/schema.ts".into(), "export default defineSchema({ a: defineTable({}) });\n".repeat(50)),
                ("convex/é/ünïcode.ts".into(), "// 💥 <script>alert(1)</script>".into()),
            ],
            open: Some("convex/é/ünïcode.ts".into()),
            tab: "reruns".into(),
            example: Some("game".into()),
            edited: true,
        }
    }

    #[wasm_bindgen_test]
    async fn a_link_gives_back_the_same_state_and_is_compressed() {
        let fragment = encode(&snapshot()).await.unwrap();
        assert!(fragment.starts_with("#v1="), "{fragment}");
        assert!(fragment.len() < snapshot().to_json().len() / 4, "{} bytes", fragment.len());
        assert!(fragment[4..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{fragment}");
        assert_eq!(decode(&fragment).await, Some(Ok(snapshot())));
        assert_eq!(decode(&fragment[1..]).await, Some(Ok(snapshot())), "without the #");
    }

    #[wasm_bindgen_test]
    async fn fragments_that_are_not_links_are_left_alone() {
        for fragment in ["", "#", "#top", "#v=abc", "#version=2", "#vx=abc"] {
            assert_eq!(decode(fragment).await, None, "{fragment}");
        }
    }

    #[wasm_bindgen_test]
    async fn a_link_of_another_version_says_so() {
        assert_eq!(decode("#v2=AAAA").await, Some(Err(LinkError::UnknownVersion("v2".into()))));
        let message = LinkError::UnknownVersion("v2".into()).to_string();
        assert!(message.contains("v2") && message.contains("v1"), "{message}");
    }

    #[wasm_bindgen_test]
    async fn a_damaged_link_says_why() {
        let fragment = encode(&snapshot()).await.unwrap();
        // Cut on a base64 quantum, so that what is left is base64 of half a deflate stream.
        let cut = &fragment[..4 + (fragment.len() - 4) / 8 * 4];
        let cases = [("#v1=not base64!", "base64url"), (cut, "deflate"), ("#v1=", "deflate")];
        for (fragment, why) in cases {
            match decode(fragment).await {
                Some(Err(LinkError::Damaged(reason))) => assert!(reason.contains(why), "{fragment}: {reason}"),
                other => panic!("{fragment}: {other:?}"),
            }
        }
        // Valid deflate of something that is not a snapshot.
        let stream = CompressionStream::new("deflate-raw").unwrap();
        let json = transform(b"[1, 2, 3]", stream.unchecked_ref(), usize::MAX).await.unwrap().unwrap();
        match decode(&fragment_of(&json)).await {
            Some(Err(LinkError::Damaged(reason))) => assert!(reason.contains("not a workspace"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }

    #[wasm_bindgen_test]
    async fn a_link_that_inflates_past_the_limit_is_refused_without_reading_it_all() {
        let stream = CompressionStream::new("deflate-raw").unwrap();
        let bomb = vec![b' '; MAX_LINK_JSON_BYTES + 1];
        let compressed = transform(&bomb, stream.unchecked_ref(), usize::MAX).await.unwrap().unwrap();
        assert!(compressed.len() < 100_000);
        match decode(&fragment_of(&compressed)).await {
            Some(Err(LinkError::Damaged(reason))) => assert!(reason.contains("16 MiB"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
}
