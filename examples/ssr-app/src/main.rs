//! The shop's server: renders the app, answers its server functions, serves
//! `/pkg` (the hydrating wasm and the stylesheet) and `/tags`, and keeps the
//! consent log (`/v1/decisions`, the config's `log_url`) with its own routes.

use axum::routing::get;
use axum::Router;
use lcc_ssr_example::{shell, App};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};

#[tokio::main]
async fn main() {
    // cargo-leptos sets LEPTOS_OUTPUT_NAME, LEPTOS_SITE_ROOT, LEPTOS_SITE_ADDR, …;
    // `make ssr-example` sets the same.
    let conf = get_configuration(None).expect("the LEPTOS_* settings");
    let options = conf.leptos_options;
    let addr = options.site_addr;
    let routes = generate_route_list(App);
    let app = Router::new()
        .route(
            "/counted",
            get(|| async { axum::Json(lcc_ssr_example::server::counted()) }),
        )
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options)
        // The consent log, mounted in this app (settings from LCC_* variables; by default a
        // SQLite file next to where it runs), with the app's config registered: each
        // visitor's decision is kept with a receipt.
        .merge(
            leptos_consent::log_server::routes(&[lcc_ssr_example::CONSENT_CONFIG])
                .await
                .expect("the consent log opens"),
        )
        // Pages are rendered from the visitor's consent cookie and Sec-GPC: no shared cache
        // may serve one visitor's page (with the tags their choice runs) to another.
        .layer(axum::middleware::map_response(private_pages));
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("the address is free");
    println!("listening on http://{addr}");
    // With the peer's address: the consent log limits posts per client address.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
    .expect("the server runs");
}

/// Marks every rendered page as depending on the consent cookie and `Sec-GPC`.
async fn private_pages(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if html {
        let headers = response.headers_mut();
        headers.insert(header::VARY, HeaderValue::from_static(leptos_consent::server::VARY));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
    response
}
