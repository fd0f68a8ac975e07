//! Generated bodies for the readers' tests: pages as the API writes
//! them, with optional fields present, `null` or absent at random, keys in
//! another order now and then, and the odd unknown field.

/// A small xorshift generator: the same pages on every run.
pub(crate) struct Draw(pub(crate) u64);

impl Draw {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub(crate) fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
        from[self.below(from.len() as u64) as usize]
    }
}

/// One row as the API writes it, with optional fields present, null
/// or absent at random, and the odd unknown field.
pub(crate) fn row(d: &mut Draw, k: u64) -> String {
    let mut fields = vec![
        format!(r#""agent_triggers":{}"#, d.below(20)),
        format!(
            r#""created_at":"2026-11-{:02}T{:02}:{:02}:{:02}.{:03}Z""#,
            1 + d.below(28),
            d.below(24),
            d.below(60),
            d.below(60),
            d.below(1000)
        ),
        format!(
            r#""model":"{}""#,
            d.pick(&["gpt-4o", "o3", "claude-sonnet"])
        ),
        format!(
            r#""status":"{}""#,
            d.pick(&["completed", "error", "running", "odd"])
        ),
        format!(r#""step_count":{}"#, d.below(90)),
        format!(r#""task_id":"t-{k}""#),
        format!(r#""tool_calls":{}"#, d.below(12)),
    ];
    // Each optional field once: absent, null, or one of its forms.
    let optional: [&[&str]; 17] = [
        &[
            r#""agent_breakdown":{"recon":2,"triage":1}"#,
            r#""agent_breakdown":{"b":2,"a":1,"b":5}"#,
        ],
        &[r#""avg_step_latency_ms":16213"#],
        &[r#""email":"erin@acme-sec.example""#],
        &[r#""error_message":"boom""#],
        &[r#""is_byok":true"#, r#""is_byok":false"#],
        &[r#""llm_cost":0.0296"#, r#""llm_cost":3"#],
        &[r#""llm_time_ms":56259"#],
        &[r#""neo_cost":1e-3"#, r#""neo_cost":0.1234567890123456789"#],
        &[r#""neo_credits":12"#, r#""neo_credits":-0.5"#],
        &[r#""stream_count":1"#],
        &[r#""stream_id":"5d0c""#],
        &[
            r#""task_title":"Verify fix on partners.acme.example""#,
            r#""task_title":"Fix \"login\" \u003cform\u003e caf\u00e9 \ud83d\ude00""#,
        ],
        &[
            r#""tool_breakdown":{"nuclei":{"calls":4,"duration_ms":612900},"httpx":3,"z":{"count":2,"calls":1,"other":[1,{"x":null}]}}"#,
        ],
        &[
            r#""tool_call_history":[{"duration_ms":9,"index":0,"timestamp":1795867137459,"tool_name":"nuclei"},{"tool_name":"httpx","timestamp":-5,"index":1,"duration_ms":0,"extra":"x"}]"#,
            r#""tool_call_history":[]"#,
        ],
        &[r#""tool_time_ms":900"#],
        &[r#""total_execution_ms":20"#],
        &[
            r#""unknown":[true,false,null,-0.5e+3,{"a":"b"}]"#,
            r#""unknown":{}"#,
        ],
    ];
    for forms in optional {
        let field = d.pick(forms);
        match d.below(4) {
            0 => {}
            1 => fields.push(format!("{}:null", field.split(':').next().unwrap_or(field))),
            _ => fields.push(field.to_owned()),
        }
    }
    // A row in a quarter of the cases has its keys in another order.
    if d.below(4) == 0 {
        for i in (1..fields.len()).rev() {
            fields.swap(i, d.below(i as u64 + 1) as usize);
        }
    }
    let separators = [",", ", ", ",\n  "];
    format!("{{{}}}", fields.join(d.pick(&separators)))
}

pub(crate) fn page(d: &mut Draw, rows: u64) -> String {
    let rows: Vec<String> = (0..rows).map(|k| row(d, k)).collect();
    format!(
        r#"{{"data":[{}],"has_more":true,"total":{}}}"#,
        rows.join(","),
        d.below(100_000)
    )
}

/// The edits a mutation puts in: JSON's punctuation, numbers in every
/// form, escapes good and bad, a control character.
const EDITS: [&str; 32] = [
    "",
    "\"",
    "\\",
    "\\\"",
    ",",
    ":",
    "{",
    "}",
    "[",
    "]",
    "0",
    "01",
    "-",
    "-0",
    "1.0",
    "2.5",
    "1e3",
    "null",
    "true",
    " ",
    "\n",
    "\u{1}",
    "\"x\":1,",
    "é",
    "\\u",
    "\\ud800",
    "\\udc00",
    "\\u00e9",
    "\\n",
    "\\/",
    "\\ud83d\\ude00",
    "\\u12",
];

/// `text` with a random edit at a random byte, over up to three bytes;
/// `None` when the byte falls inside a character.
pub(crate) fn mutate(d: &mut Draw, text: &str) -> Option<String> {
    let at = d.below(text.len() as u64) as usize;
    let cut = d.below(4) as usize;
    let head = text.get(..at)?;
    let tail = text.get((at + cut).min(text.len())..)?;
    Some(format!("{head}{}{tail}", d.pick(&EDITS)))
}

/// `count` pages of one to three rows, each mutated once ([`mutate`]),
/// the same on every run for a `seed`.
pub(crate) fn mutated_pages(seed: u64, count: usize) -> impl Iterator<Item = String> {
    let mut d = Draw(seed);
    (0..count).filter_map(move |_| {
        let rows = 1 + d.below(3);
        let text = page(&mut d, rows);
        mutate(&mut d, &text)
    })
}

/// From the first `[` to the last `]`: a page's rows as an array (an
/// exported file).
pub(crate) fn rows_of(text: &str) -> &str {
    let start = text.find('[').unwrap_or(0);
    let end = text.rfind(']').map_or(text.len(), |e| e + 1).max(start);
    &text[start..end]
}
