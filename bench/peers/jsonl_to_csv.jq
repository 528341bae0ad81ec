# Peer: JSON Lines -> CSV with jq or gojq and explicit columns, what a user writes by
# hand: a fixed list of the columns they know about (the first image and the first
# related article only), lists of scalars joined with "; ".
#   gojq -n -r -f jsonl_to_csv.jq ARCHIVE.jsonl > OUT.csv
["category", "title", "excerpt", "publishedDateTime", "originalUrl", "webUrl", "type",
 "quality", "heat", "published", "provider.name", "provider.domain", "topics",
 "images.0.url", "images.0.width", "images.0.height", "images.0.isCached",
 "related.0.title", "related.0.webUrl", "related.0.publishedDateTime", "secured", "body"],
(inputs
 | [.category, .title, .excerpt, .publishedDateTime, .originalUrl, .webUrl, .type,
    .quality, .heat, .published, .provider.name, .provider.domain,
    ((.topics // []) | join("; ")),
    .images[0].url, .images[0].width, .images[0].height, .images[0].isCached,
    .related[0].title, .related[0].webUrl, .related[0].publishedDateTime, .secured, .body])
| @csv
