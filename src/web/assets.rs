//! Static files (CSS, a little progressive-enhancement JavaScript) embedded in the binary.

use actix_web::http::header::{CacheControl, CacheDirective, ContentType};
use actix_web::{web, HttpResponse};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static/"]
struct StaticFiles;

pub async fn serve(path: web::Path<String>) -> HttpResponse {
    let path = path.into_inner();
    match StaticFiles::get(&path) {
        Some(file) => {
            let mime = match path.rsplit('.').next() {
                Some("css") => "text/css; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                Some("svg") => "image/svg+xml",
                Some("png") => "image/png",
                Some("ico") => "image/x-icon",
                _ => "application/octet-stream",
            };
            // Experts on expensive connections should download the stylesheet once a day at most.
            HttpResponse::Ok()
                .content_type(mime)
                .insert_header(CacheControl(vec![
                    CacheDirective::Public,
                    CacheDirective::MaxAge(86_400),
                ]))
                .body(file.data.into_owned())
        }
        None => HttpResponse::NotFound()
            .insert_header(ContentType::plaintext())
            .body("not found"),
    }
}
