use sentry_preflight::Preflight;
#[inline(never)]
fn roundtrip(texts: &[String]) -> usize {
    let mut total = 0;
    for t in texts {
        let v: serde_json::Value = serde_json::from_str(t).unwrap();
        total += serde_json::to_string(&v).unwrap().len();
    }
    total
}
#[inline(never)]
fn scan_all(pf: &Preflight, strings: &[String]) -> usize {
    strings.iter().map(|t| pf.secrets_in(t).len()).sum()
}

fn main() {
    let file = std::env::args().nth(1).unwrap();
    let mode = std::env::args().nth(2).unwrap_or_else(|| "process".into());
    let policy = std::env::args().nth(3).unwrap_or_else(|| "{}".into());
    let pf = Preflight::from_json(&policy).unwrap();
    let texts: Vec<String> = std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    if mode == "serde" {
        std::hint::black_box(roundtrip(&texts));
        return;
    }
    if mode == "scan" {
        fn collect(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::String(t) => out.push(t.clone()),
                serde_json::Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
                serde_json::Value::Object(m) => m.values().for_each(|x| collect(x, out)),
                _ => {}
            }
        }
        let mut strings = Vec::new();
        for t in &texts {
            collect(&serde_json::from_str(t).unwrap(), &mut strings);
        }
        strings.retain(|t| pf.secrets_in(t).is_empty());
        let bytes: usize = strings.iter().map(String::len).sum();
        eprintln!("{} strings, {} bytes", strings.len(), bytes);
        std::hint::black_box(scan_all(&pf, &strings));
        return;
    }
    let mut events: Vec<serde_json::Value> = texts
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for e in &mut events {
        std::hint::black_box(pf.process_event(e));
    }
    std::mem::forget(events);
}
