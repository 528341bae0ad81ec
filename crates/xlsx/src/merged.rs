//! The merged areas of an xlsx sheet, found without parsing its rows.
//!
//! A sheet's `<mergeCells>` follow its `<sheetData>`, so calamine finds them by parsing
//! the whole sheet a second time, which costs as much as reading the rows. Here the
//! sheet's part is inflated and searched for the `<mergeCells` tag (a `<` is never raw
//! in a cell's text), and only what follows it is parsed. The part is found as calamine
//! finds it: the package's office document, its relationships, the sheet's `r:id`.

use std::io::{BufReader, Read, Seek};

use memchr::memmem;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::ZipArchive;

/// How many inflated bytes are searched at once.
const CHUNK: usize = 256 << 10;

/// The merged areas (`A3:B3`) of the sheet `name`, as written in the sheet; `None` when
/// the workbook's parts cannot be followed to the sheet (the caller asks calamine).
pub(crate) fn merged_areas(workbook: impl Read + Seek, name: &str) -> Option<Vec<String>> {
    let mut zip = ZipArchive::new(workbook).ok()?;
    let document = relationships(&mut zip, "_rels/.rels")?
        .into_iter()
        .find(|(_, kind, _)| kind.ends_with("/officeDocument"))
        .map(|(_, _, target)| target.trim_start_matches('/').to_owned())?;
    let (folder, file) = document.rsplit_once('/').unwrap_or(("", &document));
    let folder = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    let id = sheet_id(&mut zip, &document, name)?;
    let target = relationships(&mut zip, &format!("{folder}_rels/{file}.rels"))?
        .into_iter()
        .find(|(relationship, _, _)| *relationship == id)
        .map(|(_, _, target)| target)?;
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("{folder}{target}"),
    };
    let index = part_index(&mut zip, &path)?;
    let part = zip.by_index(index).ok()?;
    scan(part)
}

/// A zip part's index by name, ignoring case as Excel does.
fn part_index<R: Read + Seek>(zip: &mut ZipArchive<R>, path: &str) -> Option<usize> {
    zip.index_for_name(path).or_else(|| {
        let name = zip
            .file_names()
            .flatten()
            .find(|name| name.eq_ignore_ascii_case(path))?
            .into_owned();
        zip.index_for_name(&name)
    })
}

/// An XML part's parser, when the workbook has the part.
fn part<'a, R: Read + Seek>(
    zip: &'a mut ZipArchive<R>,
    path: &str,
) -> Option<Reader<BufReader<zip::read::ZipFile<'a, R>>>> {
    let index = part_index(zip, path)?;
    let file = zip.by_index(index).ok()?;
    Some(Reader::from_reader(BufReader::new(file)))
}

/// The value of the attribute whose local name is `local` (`r:id` is `id`).
fn attribute(element: &BytesStart, local: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|attribute| attribute.key.local_name().as_ref() == local)
        .and_then(|attribute| {
            attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|value| value.into_owned())
        })
}

/// The `(Id, Type, Target)` of each relationship in a `.rels` part.
fn relationships<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    path: &str,
) -> Option<Vec<(String, String, String)>> {
    let mut xml = part(zip, path)?;
    let mut found = Vec::new();
    let mut buffer = Vec::new();
    loop {
        match xml.read_event_into(&mut buffer).ok()? {
            Event::Start(element) | Event::Empty(element)
                if element.local_name().as_ref() == "Relationship" =>
            {
                found.push((
                    attribute(&element, "Id")?,
                    attribute(&element, "Type").unwrap_or_default(),
                    attribute(&element, "Target")?,
                ));
            }
            Event::Eof => return Some(found),
            _ => {}
        }
        buffer.clear();
    }
}

/// The relationship id (`r:id`) of the sheet `name` in the workbook part.
fn sheet_id<R: Read + Seek>(zip: &mut ZipArchive<R>, path: &str, name: &str) -> Option<String> {
    let mut xml = part(zip, path)?;
    let mut buffer = Vec::new();
    loop {
        match xml.read_event_into(&mut buffer).ok()? {
            Event::Start(element) | Event::Empty(element)
                if element.local_name().as_ref() == "sheet"
                    && attribute(&element, "name").as_deref() == Some(name) =>
            {
                return attribute(&element, "id");
            }
            Event::Eof => return None,
            _ => {}
        }
        buffer.clear();
    }
}

/// Searches a sheet's XML for its `mergeCells` element and reads the areas in it.
fn scan(mut sheet: impl Read) -> Option<Vec<String>> {
    const TAG: &[u8] = b"mergeCells";
    let finder = memmem::Finder::new(TAG);
    // The bytes not searched yet, with the few before them a tag may start in.
    let mut window: Vec<u8> = Vec::with_capacity(CHUNK + TAG.len() + 64);
    loop {
        let mut chunk = (&mut sheet).take(CHUNK as u64);
        let read = chunk.read_to_end(&mut window).ok()?;
        let mut from = 0;
        while let Some(at) = finder.find(&window[from..]).map(|at| from + at) {
            if let Some(start) = tag_start(&window, at) {
                let tail = std::io::Cursor::new(window[start..].to_vec()).chain(sheet);
                return areas(tail);
            }
            from = at + 1;
        }
        if read == 0 {
            return Some(Vec::new());
        }
        // Keep what a tag split by the chunk's end may have begun with: `<`, a prefix
        // of a few characters, and the tag's first letters.
        let keep = window.len().saturating_sub(TAG.len() + 64);
        window.drain(..keep);
    }
}

/// Where the element whose local name starts at `at` begins: `<mergeCells` or
/// `<x:mergeCells`; `None` when it is text (`x:mergeCells` with no `<` before it).
fn tag_start(window: &[u8], at: usize) -> Option<usize> {
    let before = &window[..at];
    if before.last() == Some(&b'<') {
        return Some(at - 1);
    }
    if before.last() != Some(&b':') {
        return None;
    }
    let prefix = before[..at - 1]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        .count();
    let start = at - 1 - prefix;
    (prefix > 0 && start > 0 && before[start - 1] == b'<').then(|| start - 1)
}

/// The `ref` of each `mergeCell` in the `mergeCells` element `xml` starts with.
fn areas(xml: impl Read) -> Option<Vec<String>> {
    let mut xml = Reader::from_reader(BufReader::new(xml));
    xml.config_mut().check_end_names = false;
    let mut found = Vec::new();
    let mut buffer = Vec::new();
    loop {
        match xml.read_event_into(&mut buffer) {
            Ok(Event::Start(element) | Event::Empty(element))
                if element.local_name().as_ref() == "mergeCell" =>
            {
                found.extend(attribute(&element, "ref"));
            }
            Ok(Event::End(element)) if element.local_name().as_ref() == "mergeCells" => {
                return Some(found);
            }
            Ok(Event::Eof) | Err(_) => return Some(found),
            Ok(_) => {}
        }
        buffer.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sheet_is_found_through_the_workbook_s_relationships() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        workbook.add_worksheet().set_name("first").unwrap();
        let second = workbook.add_worksheet().set_name("second & more").unwrap();
        second.write_string(0, 0, "title").unwrap();
        second
            .merge_range(2, 0, 2, 1, "merged", &rust_xlsxwriter::Format::new())
            .unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let areas = |name| merged_areas(std::io::Cursor::new(&bytes), name);
        assert_eq!(areas("second & more"), Some(vec!["A3:B3".to_owned()]));
        assert_eq!(areas("first"), Some(Vec::new()));
        assert_eq!(areas("third"), None);
    }

    #[test]
    fn the_areas_are_found_after_the_rows_wherever_the_chunks_end() {
        let rows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x:mergeCells &lt;mergeCells\
                    </t></is></c></row>"
            .repeat(CHUNK / 50);
        for prefix in ["", "x:"] {
            let xml = format!(
                "<{prefix}worksheet><{prefix}sheetData>{rows}</{prefix}sheetData>\
                 <{prefix}mergeCells count=\"2\"><{prefix}mergeCell ref=\"A3:B3\"/>\
                 <{prefix}mergeCell ref=\"C1:C4\"/></{prefix}mergeCells></{prefix}worksheet>"
            );
            for cut in 0..40 {
                let padded = format!("{}{xml}", " ".repeat(cut));
                assert_eq!(
                    scan(padded.as_bytes()),
                    Some(vec!["A3:B3".to_owned(), "C1:C4".to_owned()]),
                    "{prefix} {cut}"
                );
            }
        }
        assert_eq!(scan(rows.as_bytes()), Some(Vec::new()));
    }
}
