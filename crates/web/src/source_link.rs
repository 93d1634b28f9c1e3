//! A place in the user's code that opens in the editor when clicked.

use convex_lens_engine::Location;
use yew::prelude::*;

/// Opens a place in the editor. Provided by the app; without it, places are plain text (as in
/// tests that render a view alone).
#[derive(Clone, PartialEq)]
pub struct Navigator(pub Callback<Location>);

#[derive(Properties, PartialEq)]
pub struct SourceLinkProps {
    pub location: Location,
    /// What the link says; `file:line:column` when not given.
    #[prop_or_default]
    pub label: Option<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
}

#[function_component(SourceLink)]
pub fn source_link(props: &SourceLinkProps) -> Html {
    let navigator = use_context::<Navigator>();
    let location = &props.location;
    let place = format!("{}:{}:{}", location.file, location.line, location.column);
    let label = props.label.clone().unwrap_or_else(|| place.clone().into());
    let class = classes!("source-link", props.class.clone());
    match navigator {
        Some(Navigator(open)) => {
            let location = location.clone();
            let onclick = Callback::from(move |_: MouseEvent| open.emit(location.clone()));
            html! { <button type="button" {class} title={format!("Open {place}")} {onclick}>{ label }</button> }
        }
        None => html! { <span {class} title={place}>{ label }</span> },
    }
}
