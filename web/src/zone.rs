//! Time-zone offsets from the browser's `Intl.DateTimeFormat`, so the
//! bundle carries no time-zone database: the UTC offset of any IANA zone
//! at any instant, cached per quarter hour (every real offset change falls
//! on one).

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Array, Function, Object, Reflect};
use neo_usage::sorted_map::SortedMap;
use wasm_bindgen::{JsCast, JsValue};

use crate::url_state::ZoneChoice;

const QUARTER_HOUR_MS: i64 = 900_000;

// Keyed by the few zone names a session uses: sorted vectors, not hash
// tables (each `HashMap` key and value type is its own copy of hashbrown
// in the wasm). The offsets of one zone, by quarter hour, are many and
// arrive in any order: a hash table.
thread_local! {
    static FORMATTERS: RefCell<SortedMap<String, Option<Object>>> = const { RefCell::new(SortedMap::new()) };
    static OFFSETS: RefCell<SortedMap<String, HashMap<i64, i32>>> = const { RefCell::new(SortedMap::new()) };
}

/// The key of the browser's own zone. Its offsets come from `Date`, which
/// needs no time-zone data: the first use of `Intl.DateTimeFormat` in a
/// page loads ICU data (50–230 ms measured in Chromium here), and the
/// first paint should not wait for it. Its IANA name, for people, is
/// resolved later ([`browser_zone`], [`display_name`]).
pub const LOCAL: &str = "local";

/// The browser's own zone name, e.g. `Europe/Berlin` (`UTC` if unknown).
/// The first call in a page costs the `Intl` start-up: call it off the
/// first paint's path.
pub fn browser_zone() -> String {
    let resolved = intl_formatter(None)
        .and_then(|f| call0(&f, "resolvedOptions"))
        .and_then(|o| Reflect::get(&o, &"timeZone".into()).ok())
        .and_then(|z| z.as_string());
    resolved.unwrap_or_else(|| "UTC".to_owned())
}

/// The zone key a choice stands for: an IANA name, or [`LOCAL`].
pub fn zone_name(choice: &ZoneChoice) -> String {
    match choice {
        ZoneChoice::Local => LOCAL.to_owned(),
        ZoneChoice::Utc => "UTC".to_owned(),
        ZoneChoice::Named(name) => name.clone(),
    }
}

/// A zone key as people read it: the IANA name, with the browser's own
/// zone resolved through `Intl` (use where a moment's cost is fine, such
/// as an export; labels use `AppState::zone_label`).
pub fn display_name(key: &str) -> String {
    if key == LOCAL {
        browser_zone()
    } else {
        key.to_owned()
    }
}

/// Whether the browser knows this zone name.
pub fn is_known_zone(name: &str) -> bool {
    formatter_for(name).is_some()
}

/// Seconds east of UTC in zone `name` at `utc_ms` (0 for an unknown zone).
pub fn offset_seconds(name: &str, utc_ms: i64) -> i32 {
    if name == "UTC" {
        return 0;
    }
    let quarter = utc_ms.div_euclid(QUARTER_HOUR_MS);
    let hit = OFFSETS.with(|o| o.borrow().get(name).and_then(|m| m.get(&quarter)).copied());
    if let Some(hit) = hit {
        return hit;
    }
    let offset = compute_offset(name, quarter * QUARTER_HOUR_MS).unwrap_or(0);
    OFFSETS.with(|o| {
        o.borrow_mut()
            .entry(name.to_owned())
            .or_default()
            .insert(quarter, offset)
    });
    offset
}

/// The zone as an offset function, for the pure range and format code.
pub fn offset_fn(name: String) -> impl Fn(i64) -> i32 {
    move |ms| offset_seconds(&name, ms)
}

/// Wall-clock fields of `utc_ms` in the zone, minus the instant itself.
fn compute_offset(name: &str, utc_ms: i64) -> Option<i32> {
    if name == LOCAL {
        let date = js_sys::Date::new(&JsValue::from_f64(utc_ms as f64));
        // Minutes west of UTC; whole minutes for every zone in use today.
        return Some(-(date.get_timezone_offset() as i32) * 60);
    }
    let formatter = formatter_for(name)?;
    let date = js_sys::Date::new(&JsValue::from_f64(utc_ms as f64));
    let format_to_parts: Function = Reflect::get(&formatter, &"formatToParts".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let parts: Array = format_to_parts
        .call1(&formatter, &date)
        .ok()?
        .dyn_into()
        .ok()?;
    let mut fields = [0i64; 6]; // year, month, day, hour, minute, second
    for part in parts.iter() {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
        let slot = match kind.as_str() {
            "year" => 0,
            "month" => 1,
            "day" => 2,
            "hour" => 3,
            "minute" => 4,
            "second" => 5,
            _ => continue,
        };
        fields[slot] = value.parse().ok()?;
    }
    let wall =
        chrono::NaiveDate::from_ymd_opt(fields[0] as i32, fields[1] as u32, fields[2] as u32)?
            .and_hms_opt((fields[3] % 24) as u32, fields[4] as u32, fields[5] as u32)?
            .and_utc()
            .timestamp();
    Some((wall - utc_ms.div_euclid(1000)) as i32)
}

fn formatter_for(name: &str) -> Option<Object> {
    if let Some(hit) = FORMATTERS.with(|f| f.borrow().get(name).cloned()) {
        return hit;
    }
    let made = intl_formatter(Some(name));
    FORMATTERS.with(|f| f.borrow_mut().insert(name.to_owned(), made.clone()));
    made
}

/// `new Intl.DateTimeFormat("en-US", {timeZone, hourCycle: "h23", ...})`;
/// `None` when the browser refuses the zone (a RangeError).
fn intl_formatter(zone: Option<&str>) -> Option<Object> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor: Function = Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let options = Object::new();
    let set = |k: &str, v: &str| Reflect::set(&options, &k.into(), &v.into()).ok();
    if let Some(zone) = zone {
        set("timeZone", zone)?;
        set("hourCycle", "h23")?;
        for field in ["year", "day", "hour", "minute", "second"] {
            set(field, "numeric")?;
        }
        set("month", "numeric")?;
    }
    let args = Array::of2(&"en-US".into(), &options);
    Reflect::construct(&constructor, &args)
        .ok()
        .and_then(|v| v.dyn_into().ok())
}

fn call0(target: &Object, method: &str) -> Option<JsValue> {
    let f: Function = Reflect::get(target, &method.into()).ok()?.dyn_into().ok()?;
    f.call0(target).ok()
}
