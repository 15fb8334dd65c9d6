//! gzip for the rating form, done in the handler (see `form_page` for why not by the middleware).

use std::io::Write;

use actix_web::http::header;
use actix_web::HttpRequest;
use flate2::write::GzEncoder;
use flate2::Compression;

/// Whether the client takes gzip: a `gzip` (or `x-gzip`) coding in Accept-Encoding whose
/// quality is not zero. `*` is not taken as gzip: browsers always name it.
pub fn accepted(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                let p = p.trim().replace(' ', "");
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip")) && !refused
        })
}

/// `body` gzip-compressed at level 4. On the 60-item round-2 page (176 KB) miniz_oxide's level 1
/// (its greedy "fast" mode) gives 21.6 KB, level 4 14.9 KB (within 3 % of the default level 6)
/// in about the same time as level 1 and two thirds of level 6's: BENCHMARKS.md, issue 17.
pub fn compress(body: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 8), Compression::new(4));
    encoder.write_all(body)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use actix_web::test::TestRequest;
    use flate2::read::GzDecoder;

    use super::*;

    fn with(value: &str) -> HttpRequest {
        TestRequest::default()
            .insert_header((header::ACCEPT_ENCODING, value))
            .to_http_request()
    }

    #[test]
    fn gzip_is_taken_unless_refused() {
        assert!(accepted(&with("gzip, deflate, br")));
        assert!(accepted(&with("br;q=1.0, GZIP;q=0.5")));
        assert!(accepted(&with("x-gzip")));
        assert!(!accepted(&with("gzip;q=0")));
        assert!(!accepted(&with("gzip; q=0.0, br")));
        assert!(!accepted(&with("br, identity")));
        assert!(!accepted(&with("*")));
        assert!(!accepted(&TestRequest::default().to_http_request()));
    }

    #[test]
    fn compressed_pages_decompress_to_the_page() {
        let page = "<li>Serum ferritin</li>".repeat(1000);
        let compressed = compress(page.as_bytes()).unwrap();
        assert!(compressed.len() < page.len() / 10);
        let mut back = String::new();
        GzDecoder::new(&compressed[..]).read_to_string(&mut back).unwrap();
        assert_eq!(back, page);
    }
}
