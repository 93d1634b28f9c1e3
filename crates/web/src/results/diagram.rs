//! A diagram the worker laid out (schema, reactive graph, call graph), drawn with the diagram
//! crate's own renderer into the DOM: pan by dragging, zoom with the wheel or the buttons, search
//! by name, click a node to light it and its neighbours (and open its definition), export as
//! SVG, PNG or Mermaid. The details beside it list what the engine says about the selection.

use std::collections::BTreeSet;
use std::rc::Rc;

use convex_lens_diagram::render::{self, Content, Element, Highlight, Palette};
use convex_lens_diagram::scene::{Node, NodeKind};
use convex_lens_diagram::{Diagram, Diagrams};
use convex_lens_engine::analyses::reactivity::Effect;
use convex_lens_engine::Analysis;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew::virtual_dom::{VTag, VText};

use crate::export;
use crate::source_link::{Navigator, SourceLink};

/// Which diagram: it decides the file names of exports and what the details say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagramKind {
    Schema,
    Reactivity,
    Calls,
}

impl DiagramKind {
    pub fn name(self) -> &'static str {
        match self {
            DiagramKind::Schema => "schema",
            DiagramKind::Reactivity => "reactivity",
            DiagramKind::Calls => "calls",
        }
    }
}

#[derive(Properties, Clone)]
pub struct DiagramProps {
    pub diagrams: Rc<Diagrams>,
    pub analysis: Rc<Analysis>,
    pub kind: DiagramKind,
    /// The diagrams are of an older analysis: the next ones are being laid out.
    #[prop_or_default]
    pub outdated: bool,
}

impl PartialEq for DiagramProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.diagrams, &other.diagrams) && Rc::ptr_eq(&self.analysis, &other.analysis) && self.kind == other.kind && self.outdated == other.outdated
    }
}

impl DiagramProps {
    fn diagram(&self) -> &Diagram {
        match self.kind {
            DiagramKind::Schema => &self.diagrams.schema,
            DiagramKind::Reactivity => &self.diagrams.reactivity,
            DiagramKind::Calls => &self.diagrams.calls,
        }
    }
}

/// Pan and zoom: the drawing is scaled by `scale` and moved by (`x`, `y`) pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
struct View {
    scale: f64,
    x: f64,
    y: f64,
}

/// Below this scale a 12 px font is too small to read: the first view keeps at least this and
/// starts at the top left rather than shrinking a big schema to a smudge.
const MIN_READABLE_SCALE: f64 = 0.55;
const ZOOM_STEP: f64 = 1.25;

impl View {
    fn fit(width: f64, height: f64, canvas: (f64, f64), readable: bool) -> View {
        let (cw, ch) = canvas;
        let mut scale = (cw / width.max(1.0)).min(ch / height.max(1.0)).min(1.0);
        if readable {
            scale = scale.max(MIN_READABLE_SCALE);
        }
        let centre = |canvas: f64, size: f64| if size * scale < canvas { (canvas - size * scale) / 2.0 } else { 0.0 };
        View { scale, x: centre(cw, width), y: centre(ch, height) }
    }

    /// Zooms by `factor` keeping the point (`px`, `py`) of the canvas still.
    fn zoom(self, factor: f64, px: f64, py: f64) -> View {
        let scale = (self.scale * factor).clamp(0.1, 4.0);
        let k = scale / self.scale;
        View { scale, x: px - (px - self.x) * k, y: py - (py - self.y) * k }
    }
}

/// A drag in progress: where it started and the view then; `moved` once it is a drag, not a click.
#[derive(Clone, Copy)]
struct Drag {
    start: (f64, f64),
    view: View,
    moved: bool,
}

#[function_component(DiagramView)]
pub fn diagram_view(props: &DiagramProps) -> Html {
    let scene = &props.diagram().scene;
    let selected = use_state(|| None::<String>);
    let search = use_state(String::new);
    let view = use_state(|| None::<View>);
    let drag = use_mut_ref(|| None::<Drag>);
    let canvas = use_node_ref();
    let navigator = use_context::<Navigator>();
    let copied = use_state(|| false);

    // Fit on the first drawing, and when the layout's size changes (tables added or removed).
    {
        let (view, canvas) = (view.clone(), canvas.clone());
        let size = (scene.width as i64, scene.height as i64);
        use_effect_with(size, move |&(width, height)| {
            if let Some(size) = canvas_size(&canvas) {
                view.set(Some(View::fit(width as f64, height as f64, size, true)));
            }
        });
    }
    if scene.nodes.is_empty() {
        return html! { <p class="empty">{ empty_text(props.kind) }</p> };
    }
    let matches = matching(&props.diagram().scene.nodes, &search);
    let highlight = Highlight { selected: (*selected).clone(), lit: lit(props, selected.as_deref()), matches: matches.clone() };
    let drawing = render::draw(scene, &highlight, None);
    let current = (*view).unwrap_or(View { scale: 1.0, x: 0.0, y: 0.0 });

    let onwheel = {
        let view = view.clone();
        Callback::from(move |event: WheelEvent| {
            event.prevent_default();
            let Some(current) = *view else { return };
            let (px, py) = offset(&event);
            view.set(Some(current.zoom((-event.delta_y() * 0.0015).exp(), px, py)));
        })
    };
    let onpointerdown = {
        let drag = drag.clone();
        Callback::from(move |event: PointerEvent| {
            *drag.borrow_mut() = Some(Drag { start: (f64::from(event.client_x()), f64::from(event.client_y())), view: current, moved: false });
        })
    };
    let onpointermove = {
        let (drag, view) = (drag.clone(), view.clone());
        Callback::from(move |event: PointerEvent| {
            let mut drag = drag.borrow_mut();
            let Some(d) = drag.as_mut() else { return };
            let (dx, dy) = (f64::from(event.client_x()) - d.start.0, f64::from(event.client_y()) - d.start.1);
            if d.moved || dx.abs() + dy.abs() > 4.0 {
                d.moved = true;
                view.set(Some(View { x: d.view.x + dx, y: d.view.y + dy, ..d.view }));
            }
        })
    };
    let onpointerup = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| {
            // Keep a finished drag until the click it ends in has been ignored.
            let mut drag = drag.borrow_mut();
            if matches!(*drag, Some(d) if !d.moved) {
                *drag = None;
            }
        })
    };
    // Selects what a click or a key lands on: a node (opening its definition, or a row's), or
    // nothing on the background.
    let select_at = {
        let (selected, props) = (selected.clone(), props.clone());
        Rc::new(move |target: Option<web_sys::Element>| {
            let Some(node) = target.as_ref().and_then(|t| t.closest("[data-node]").ok().flatten()) else {
                selected.set(None);
                return;
            };
            let id = node.get_attribute("data-node").unwrap_or_default();
            let row = target.and_then(|t| t.closest("[data-row]").ok().flatten()).and_then(|r| r.get_attribute("data-row")?.parse::<usize>().ok());
            let found = props.diagram().scene.node(&id);
            let location = found.and_then(|n| row.and_then(|r| n.rows.get(r)?.location.clone()).or_else(|| n.location.clone()));
            if let (Some(Navigator(open)), Some(location)) = (&navigator, location) {
                open.emit(location);
            }
            selected.set(if selected.as_deref() == Some(id.as_str()) && row.is_none() { None } else { Some(id) });
        })
    };
    let target_of = |event: &Event| event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let onclick = {
        let (drag, select_at) = (drag.clone(), select_at.clone());
        Callback::from(move |event: MouseEvent| {
            if !drag.borrow_mut().take().is_some_and(|d| d.moved) {
                select_at(target_of(&event));
            }
        })
    };
    // Nodes are in the tab order (see `render::draw`): Enter or Space selects the focused one.
    let onkeydown = Callback::from(move |event: KeyboardEvent| {
        if matches!(event.key().as_str(), "Enter" | " ") && target_of(&event).is_some_and(|t| t.has_attribute("data-node")) {
            event.prevent_default();
            select_at(target_of(&event));
        }
    });
    let zoom_by = |factor: f64| {
        let (view, canvas) = (view.clone(), canvas.clone());
        Callback::from(move |_: MouseEvent| {
            if let (Some(current), Some((w, h))) = (*view, canvas_size(&canvas)) {
                view.set(Some(current.zoom(factor, w / 2.0, h / 2.0)));
            }
        })
    };
    let fit = {
        let (view, canvas, width, height) = (view.clone(), canvas.clone(), scene.width, scene.height);
        Callback::from(move |_: MouseEvent| {
            if let Some(size) = canvas_size(&canvas) {
                view.set(Some(View::fit(width, height, size, false)));
            }
        })
    };
    let onsearch = {
        let (search, view, canvas, diagram) = (search.clone(), view.clone(), canvas.clone(), props.clone());
        Callback::from(move |event: InputEvent| {
            let Some(input) = event.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
            let text = input.value();
            // Bring the first match into the middle of the canvas.
            let first = diagram.diagram().scene.nodes.iter().find(|n| node_matches(n, &text.to_lowercase()));
            if let (Some(node), Some((w, h)), false) = (first, canvas_size(&canvas), text.is_empty()) {
                let scale = view.map_or(1.0, |v| v.scale).max(MIN_READABLE_SCALE);
                let (cx, cy) = (node.x + node.width / 2.0, node.y + node.height / 2.0);
                view.set(Some(View { scale, x: w / 2.0 - cx * scale, y: h / 2.0 - cy * scale }));
            }
            search.set(text);
        })
    };
    let name = props.kind.name();
    let transform = format!("translate({:.1} {:.1}) scale({:.4})", current.x, current.y, current.scale);
    html! {
        <div class={classes!("diagram-view", format!("diagram-{name}"))} data-diagram={name}>
            <div class="diagram-toolbar" role="toolbar" aria-label={format!("{name} diagram")}>
                <input type="search" class="diagram-search" placeholder="Find a name" aria-label="Find a name in the diagram"
                    value={(*search).clone()} oninput={onsearch} />
                if !search.is_empty() {
                    <span class="filter-count" role="status">{ super::count(matches.len(), "match", "matches") }</span>
                }
                <button type="button" class="zoom-in" title="Zoom in" aria-label="Zoom in" onclick={zoom_by(ZOOM_STEP)}>{ "+" }</button>
                <button type="button" class="zoom-out" title="Zoom out" aria-label="Zoom out" onclick={zoom_by(1.0 / ZOOM_STEP)}>{ "−" }</button>
                <button type="button" class="zoom-fit" title="Show the whole diagram" onclick={fit}>{ "Fit" }</button>
                if props.outdated { <span class="diagram-updating" role="status">{ "Updating…" }</span> }
                <span class="zoom-level" aria-live="polite">{ format!("{:.0}%", current.scale * 100.0) }</span>
                <WideToggle />
                { export_buttons(props, &copied) }
            </div>
            <div class="diagram-canvas" ref={canvas} {onwheel} {onpointerdown} {onpointermove} {onpointerup} {onclick} {onkeydown}>
                { to_html(&drawing, Some(&transform)) }
            </div>
            { details(props, selected.as_deref()) }
            { legend(props.kind) }
        </div>
    }
}

/// Gives the results more of the page (the editor stays, narrower, since clicks open code in it).
#[function_component(WideToggle)]
fn wide_toggle() -> Html {
    const CLASS: &str = "wide-results";
    let root = gloo::utils::document().document_element();
    let wide = use_state(|| root.as_ref().is_some_and(|r| r.class_list().contains(CLASS)));
    let onclick = {
        let wide = wide.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(root) = gloo::utils::document().document_element() {
                wide.set(root.class_list().toggle(CLASS).unwrap_or(false));
            }
        })
    };
    html! {
        <button type="button" class="wide-toggle" aria-pressed={wide.to_string()} title="Give the results more of the page" {onclick}>
            { if *wide { "Narrow" } else { "Wide" } }
        </button>
    }
}

fn empty_text(kind: DiagramKind) -> &'static str {
    match kind {
        DiagramKind::Schema => "No schema: add a convex/schema.ts with defineSchema to see its tables here.",
        DiagramKind::Reactivity => "No mutation writes a table a query reads, so no commit re-runs a query.",
        DiagramKind::Calls => "No functions yet.",
    }
}

fn canvas_size(canvas: &NodeRef) -> Option<(f64, f64)> {
    let element = canvas.cast::<web_sys::Element>()?;
    let (w, h) = (f64::from(element.client_width()), f64::from(element.client_height()));
    (w > 0.0 && h > 0.0).then_some((w, h))
}

/// The pointer's place inside the element the event is on.
fn offset(event: &MouseEvent) -> (f64, f64) {
    let target = event.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    match target {
        Some(element) => {
            let rect = element.get_bounding_client_rect();
            (f64::from(event.client_x()) - rect.left(), f64::from(event.client_y()) - rect.top())
        }
        None => (0.0, 0.0),
    }
}

fn node_matches(node: &Node, lowercase: &str) -> bool {
    !lowercase.is_empty() && (node.id.to_lowercase().contains(lowercase) || node.rows.iter().any(|r| r.name.to_lowercase().contains(lowercase)))
}

fn matching(nodes: &[Node], search: &str) -> BTreeSet<String> {
    let lowercase = search.to_lowercase();
    nodes.iter().filter(|n| node_matches(n, &lowercase)).map(|n| n.id.clone()).collect()
}

/// Besides the selection's neighbours, the nodes its re-runs reach: a mutation's queries, a
/// query's mutations (the engine's reactivity pairs, which pass through tables).
fn lit(props: &DiagramProps, selected: Option<&str>) -> BTreeSet<String> {
    let Some(selected) = selected.filter(|_| props.kind == DiagramKind::Reactivity) else { return BTreeSet::new() };
    props
        .analysis
        .analyses
        .reactivity
        .edges
        .iter()
        .filter_map(|e| match () {
            _ if e.mutation == selected => Some(e.query.clone()),
            _ if e.query == selected => Some(e.mutation.clone()),
            _ => None,
        })
        .collect()
}

/// The renderer's elements as the page's DOM (text stays text: Yew sets it as a text node).
fn to_html(element: &Element, transform: Option<&str>) -> Html {
    let mut tag = VTag::new(element.tag);
    for (name, value) in &element.attrs {
        // The page sizes the drawing to its canvas and moves it with a transform.
        if transform.is_some() && matches!(*name, "width" | "height" | "viewBox") {
            continue;
        }
        tag.add_attribute(name, value.clone());
    }
    let children = element.children.iter().map(|child| match child {
        Content::Element(e) => to_html(e, None),
        Content::Text(t) => Html::VText(VText::new(t.clone())),
    });
    match transform {
        Some(transform) => {
            let mut group = VTag::new("g");
            group.add_attribute("transform", transform.to_string());
            group.add_children(children);
            tag.add_child(group.into());
        }
        None => tag.add_children(children),
    }
    tag.into()
}

fn export_buttons(props: &DiagramProps, copied: &UseStateHandle<bool>) -> Html {
    let name = props.kind.name();
    let svg_text = {
        let diagram = props.clone();
        move || render::to_svg(&render::draw(&diagram.diagram().scene, &Highlight::default(), Some(&page_palette())))
    };
    let on_svg = {
        let svg_text = svg_text.clone();
        Callback::from(move |_: MouseEvent| export::download(&format!("convex-{name}.svg"), "image/svg+xml", &svg_text()))
    };
    let on_png = {
        let diagram = props.clone();
        Callback::from(move |_: MouseEvent| {
            let scene = &diagram.diagram().scene;
            export::download_png(&format!("convex-{name}.png"), &svg_text(), scene.width, scene.height);
        })
    };
    let on_mermaid = {
        let (mermaid, copied) = (props.diagram().mermaid.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            export::copy_text(&mermaid);
            copied.set(true);
        })
    };
    let on_mermaid_file = {
        let mermaid = props.diagram().mermaid.clone();
        Callback::from(move |_: MouseEvent| export::download(&format!("convex-{name}.mmd"), "text/plain", &mermaid))
    };
    html! {
        <span class="diagram-export">
            <button type="button" class="export-svg" title="Download the diagram as SVG" onclick={on_svg}>{ "SVG" }</button>
            <button type="button" class="export-png" title="Download the diagram as PNG" onclick={on_png}>{ "PNG" }</button>
            <button type="button" class="copy-mermaid" title="Copy the diagram as Mermaid text" onclick={on_mermaid}>
                { if **copied { "Mermaid copied" } else { "Copy Mermaid" } }
            </button>
            <button type="button" class="export-mermaid" title="Download the Mermaid text" onclick={on_mermaid_file}>{ ".mmd" }</button>
        </span>
    }
}

/// The colours the page shows now (its theme's `--diagram-*` variables), for an export that
/// looks like the page.
fn page_palette() -> Palette {
    let window = gloo::utils::window();
    let style = gloo::utils::document().document_element().and_then(|root| window.get_computed_style(&root).ok().flatten());
    Palette::from_lookup(|name| style.as_ref()?.get_property_value(name).ok())
}

/// What the engine says about the selected node.
fn details(props: &DiagramProps, selected: Option<&str>) -> Html {
    let Some(node) = selected.and_then(|id| props.diagram().scene.node(id)) else {
        return html! { <p class="diagram-hint">{ hint(props.kind) }</p> };
    };
    let scene = &props.diagram().scene;
    let incoming: Vec<&str> = scene.edges.iter().filter(|e| e.to == node.id).map(|e| e.from.as_str()).collect();
    let outgoing: Vec<&str> = scene.edges.iter().filter(|e| e.from == node.id).map(|e| e.to.as_str()).collect();
    let analysis = &props.analysis;
    let reruns: Vec<(String, Effect)> = match node.kind {
        NodeKind::Mutation => analysis.analyses.reactivity.edges.iter().filter(|e| e.mutation == node.id).map(|e| (e.query.clone(), e.effect)).collect(),
        NodeKind::Query => analysis.analyses.reactivity.edges.iter().filter(|e| e.query == node.id).map(|e| (e.mutation.clone(), e.effect)).collect(),
        _ => Vec::new(),
    };
    let (into, out_of) = relation_words(props.kind, node.kind);
    html! {
        <section class="diagram-details" aria-label={format!("About {}", node.id)} aria-live="polite">
            <h3>
                if let Some(location) = &node.location {
                    <SourceLink location={location.clone()} label={AttrValue::from(node.id.clone())} class="details-name" />
                } else { <span class="details-name">{ &node.id }</span> }
                if let Some(subtitle) = &node.subtitle { <span class="details-kind">{ subtitle }</span> }
            </h3>
            if let Some(warning) = &node.warning { <p class="details-warning">{ warning }</p> }
            if props.kind == DiagramKind::Reactivity && !reruns.is_empty() {
                <p class="details-reruns-title">{ if node.kind == NodeKind::Mutation { "A commit re-runs:" } else { "Re-run by commits of:" } }</p>
                <ul class="details-reruns">
                    { for reruns.iter().map(|(name, effect)| html! {
                        <li>
                            <code>{ name }</code>
                            { match effect {
                                Effect::Keyed => html! { <span class="badge keyed">{ "keyed" }</span> },
                                Effect::TableWide => html! { <span class="badge table-wide">{ "every subscription" }</span> },
                            } }
                        </li>
                    }) }
                </ul>
            }
            { name_list(into, &incoming) }
            { name_list(out_of, &outgoing) }
        </section>
    }
}

fn name_list(title: &str, names: &[&str]) -> Html {
    if names.is_empty() {
        return html! {};
    }
    let names: BTreeSet<&str> = names.iter().copied().collect();
    html! {
        <p class="details-list"><span class="details-list-title">{ title }</span>
            { for names.iter().map(|n| html! { <code>{ *n }</code> }) }
        </p>
    }
}

/// How to read the edges into and out of a node of this kind.
fn relation_words(kind: DiagramKind, node: NodeKind) -> (&'static str, &'static str) {
    match (kind, node) {
        (DiagramKind::Schema, _) => ("Referred to by", "Refers to"),
        (DiagramKind::Reactivity, NodeKind::Table) => ("Written by", "Read by"),
        (DiagramKind::Reactivity, NodeKind::Query) => ("Reads", ""),
        (DiagramKind::Reactivity, _) => ("", "Writes"),
        (DiagramKind::Calls, _) => ("Called by", "Calls"),
    }
}

fn hint(kind: DiagramKind) -> &'static str {
    match kind {
        DiagramKind::Schema => "Click a table to light it and its relations and open its definition; click an index to open it. Drag to pan, scroll to zoom.",
        DiagramKind::Reactivity => "Click a mutation to light every query its commits re-run, or a query to see what re-runs it. Drag to pan, scroll to zoom.",
        DiagramKind::Calls => "Click a function to light what it calls and what calls it. Red frames: public entry points that write with no auth check.",
    }
}

fn legend(kind: DiagramKind) -> Html {
    let items: &[(&str, &str)] = match kind {
        DiagramKind::Schema => &[("relation", "v.id field → the table it refers to")],
        DiagramKind::Reactivity => &[("write", "writes"), ("keyed", "re-runs only the subscriptions whose key is written"), ("table-wide", "re-runs every subscription")],
        DiagramKind::Calls => &[("call", "ctx.runQuery / runMutation / runAction"), ("schedule", "scheduler, cron, route"), ("problem", "wrong target")],
    };
    html! {
        <ul class="diagram-legend" aria-label="Legend">
            { for items.iter().map(|(style, text)| html! {
                <li><span class={classes!("legend-line", format!("edge-{style}"))}></span>{ *text }</li>
            }) }
        </ul>
    }
}
