//! The app's routes and a minimal router for them.
//!
//! The app has two pages and a fallback, so it matches them itself rather
//! than through `leptos_router`, which cost about 34 KB of compressed wasm
//! (README, "Size"). Paths are relative to the base path, which is set once
//! at build time ([`crate::browser::app_base`]).

#[cfg(feature = "app")]
pub use router::{Link, Nav, provide_nav, use_nav};

/// A page of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `<base>`: the chat, or how to connect.
    Home,
    /// `<base>callback/`: where OpenRouter sends the browser back.
    Callback,
    /// Anything else.
    NotFound,
}

impl Route {
    /// Matches a location's path against the base path.
    pub fn from_path(path: &str, base: &str) -> Self {
        let Some(rest) = path
            .strip_prefix(base)
            .or_else(|| (path == base.trim_end_matches('/')).then_some(""))
        else {
            return Self::NotFound;
        };
        match rest {
            "" | "index.html" => Self::Home,
            "callback" | "callback/" | "callback/index.html" => Self::Callback,
            _ => Self::NotFound,
        }
    }

    /// The route's path under `base`.
    pub fn path(self, base: &str) -> String {
        match self {
            Self::Home | Self::NotFound => base.to_owned(),
            Self::Callback => format!("{base}callback/"),
        }
    }
}

/// The router, in the app module: the current route as a signal, following
/// Back and Forward, and links that navigate in place.
#[cfg(feature = "app")]
mod router {
    use leptos::prelude::*;

    use super::Route;
    use crate::browser::{self, app_base};

    /// The current route, shared by the app.
    #[derive(Debug, Clone, Copy)]
    pub struct Nav {
        route: RwSignal<Route>,
    }

    impl Nav {
        /// The page to show.
        pub fn route(&self) -> Signal<Route> {
            self.route.into()
        }

        /// Goes to `route`, adding a history entry.
        pub fn push(&self, route: Route) {
            browser::push_url(&route.path(&app_base()));
            self.route.set(route);
        }

        /// Goes to `route` in place of the current history entry.
        pub fn replace(&self, route: Route) {
            browser::replace_url(&route.path(&app_base()));
            self.route.set(route);
        }
    }

    /// Creates the navigation context from the current location and follows
    /// Back and Forward. Call once, in `App`.
    pub fn provide_nav() -> Nav {
        let current = || {
            Route::from_path(
                &window().location().pathname().unwrap_or_default(),
                &app_base(),
            )
        };
        let nav = Nav {
            route: RwSignal::new(current()),
        };
        let handle = window_event_listener(leptos::ev::popstate, move |_| nav.route.set(current()));
        on_cleanup(move || handle.remove());
        provide_context(nav);
        nav
    }

    /// The navigation context.
    ///
    /// # Panics
    /// Without [`provide_nav`] in an ancestor (`App` provides it).
    pub fn use_nav() -> Nav {
        use_context().expect("use_nav() needs provide_nav() in an ancestor (App does this)")
    }

    /// A link to a page of the app: a real `<a href>` that navigates in place
    /// (a modified click still opens a new tab as usual).
    #[component]
    pub fn Link(
        /// Where it goes.
        to: Route,
        /// The link's content.
        children: Children,
    ) -> impl IntoView {
        let nav = use_nav();
        let click = move |ev: leptos::ev::MouseEvent| {
            if ev.button() == 0
                && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key())
            {
                ev.prevent_default();
                nav.push(to);
            }
        };
        view! { <a href=to.path(&app_base()) on:click=click>{children()}</a> }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_under_any_base() {
        for base in ["/", "/switchboard/", "/a/b/"] {
            assert_eq!(Route::from_path(base, base), Route::Home, "{base}");
            assert_eq!(
                Route::from_path(&format!("{base}index.html"), base),
                Route::Home
            );
            assert_eq!(
                Route::from_path(&format!("{base}callback/"), base),
                Route::Callback
            );
            assert_eq!(
                Route::from_path(&format!("{base}callback"), base),
                Route::Callback
            );
            assert_eq!(
                Route::from_path(&format!("{base}callback/index.html"), base),
                Route::Callback
            );
            assert_eq!(
                Route::from_path(&format!("{base}nope"), base),
                Route::NotFound
            );
            assert_eq!(
                Route::from_path(&format!("{base}callback/x"), base),
                Route::NotFound
            );
            assert_eq!(Route::Callback.path(base), format!("{base}callback/"));
        }
        assert_eq!(
            Route::from_path("/switchboard", "/switchboard/"),
            Route::Home
        );
        assert_eq!(
            Route::from_path("/other/", "/switchboard/"),
            Route::NotFound
        );
    }
}
