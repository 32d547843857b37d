//! The model list, pure: search, the free filter, and how prices and context
//! lengths read.

use crate::openrouter::types::{Model, Price};

/// Most options the picker lists at once.
pub const MAX_OPTIONS: usize = 60;

/// True when both input and output cost nothing.
pub fn is_free(model: &Model) -> bool {
    let price = |p: Option<&Price>| p.and_then(Price::value);
    let pricing = model.pricing.as_ref();
    let prompt = price(pricing.and_then(|p| p.prompt.as_ref()));
    let completion = price(pricing.and_then(|p| p.completion.as_ref()));
    is_free_by(&model.id, prompt, completion)
}

/// The rule behind [`is_free`]: a `:free` variant, or zero for both prices.
pub fn is_free_by(id: &str, prompt: Option<f64>, completion: Option<f64>) -> bool {
    id.ends_with(":free") || (prompt == Some(0.0) && completion == Some(0.0))
}

/// The display name, or the id when there is none.
pub fn display_name(model: &Model) -> &str {
    model
        .name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(&model.id)
}

/// Models whose name or id contains every word of `query` (any case),
/// optionally only free ones, at most [`MAX_OPTIONS`].
pub fn search<'a>(models: &'a [Model], query: &str, free_only: bool) -> Vec<&'a Model> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    models
        .iter()
        .filter(|m| !free_only || is_free(m))
        .filter(|m| {
            let haystack = format!("{} {}", m.id, display_name(m)).to_lowercase();
            words.iter().all(|w| haystack.contains(w.as_str()))
        })
        .take(MAX_OPTIONS)
        .collect()
}

/// A per-token price as dollars per million tokens: `$0.15/M`, `free`, or `?`.
pub fn per_million(price: Option<&Price>) -> String {
    match price.and_then(Price::value) {
        None => "?".to_owned(),
        Some(0.0) => "free".to_owned(),
        Some(p) => {
            let m = p * 1_000_000.0;
            if m >= 10.0 {
                format!("${m:.0}/M")
            } else if m >= 0.1 {
                format!("${m:.2}/M")
            } else {
                format!("${m:.3}/M")
            }
        }
    }
}

/// A context length such as `128K tokens` or `1M tokens`.
pub fn context(model: &Model) -> Option<String> {
    let n = model.context_length.filter(|n| n.is_finite() && *n > 0.0)? as u64;
    Some(if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}M tokens", n / 1_000_000)
    } else if n >= 1000 {
        format!("{}K tokens", n / 1000)
    } else {
        format!("{n} tokens")
    })
}

/// The longest reply the model's preferred provider allows, if known.
pub fn max_completion_tokens(model: &Model) -> Option<u32> {
    let n = model.top_provider.as_ref()?.max_completion_tokens?;
    (n.is_finite() && n >= 1.0).then(|| n.min(u32::MAX as f64) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openrouter::types::{ModelsResponse, Pricing};

    fn models() -> Vec<Model> {
        let json = r#"{"data":[
            {"id":"openai/gpt-4o-mini","name":"OpenAI: GPT-4o-mini","context_length":128000,
             "pricing":{"prompt":"0.00000015","completion":"0.0000006"},"top_provider":{"max_completion_tokens":16384}},
            {"id":"meta-llama/llama-3.3-70b-instruct:free","name":"Meta: Llama 3.3 70B Instruct (free)","context_length":131072,
             "pricing":{"prompt":"0","completion":"0"}},
            {"id":"google/gemma-free-by-price","pricing":{"prompt":"0","completion":"0"}},
            {"id":"anthropic/claude-sonnet-4.5","name":"Anthropic: Claude Sonnet 4.5","context_length":1000000,
             "pricing":{"prompt":"0.000003","completion":"0.000015"}},
            {"id":"mistralai/mistral-small","name":null}
        ]}"#;
        serde_json::from_str::<ModelsResponse>(json)
            .expect("parses")
            .data
    }

    #[test]
    fn search_matches_name_and_id_words_in_any_case() {
        let all = models();
        let ids = |v: Vec<&Model>| v.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(search(&all, "gpt mini", false)), ["openai/gpt-4o-mini"]);
        assert_eq!(
            ids(search(&all, "CLAUDE", false)),
            ["anthropic/claude-sonnet-4.5"]
        );
        assert_eq!(
            ids(search(&all, "mistralai/", false)),
            ["mistralai/mistral-small"]
        );
        assert_eq!(search(&all, "", false).len(), 5);
        assert_eq!(
            ids(search(&all, "", true)),
            [
                "meta-llama/llama-3.3-70b-instruct:free",
                "google/gemma-free-by-price"
            ]
        );
        assert!(search(&all, "nothing-like-this", false).is_empty());
    }

    #[test]
    fn prices_and_context_read_well() {
        let all = models();
        let p = all[0].pricing.as_ref().expect("pricing");
        assert_eq!(per_million(p.prompt.as_ref()), "$0.15/M");
        assert_eq!(per_million(p.completion.as_ref()), "$0.60/M");
        let claude = all[3].pricing.as_ref().expect("pricing");
        assert_eq!(per_million(claude.completion.as_ref()), "$15/M");
        assert_eq!(per_million(Pricing::default().prompt.as_ref()), "?");
        assert_eq!(
            per_million(all[1].pricing.as_ref().and_then(|p| p.prompt.as_ref())),
            "free"
        );
        assert_eq!(per_million(Some(&Price::Number(0.00000002))), "$0.020/M");
        assert_eq!(context(&all[0]).as_deref(), Some("128K tokens"));
        assert_eq!(context(&all[3]).as_deref(), Some("1M tokens"));
        assert_eq!(context(&all[4]), None);
        assert_eq!(display_name(&all[4]), "mistralai/mistral-small");
        assert_eq!(max_completion_tokens(&all[0]), Some(16384));
        assert_eq!(max_completion_tokens(&all[1]), None);
    }

    #[test]
    fn search_is_capped() {
        let many: Vec<Model> = (0..200)
            .map(|i| Model {
                id: format!("x/m{i}"),
                name: None,
                context_length: None,
                pricing: None,
                top_provider: None,
            })
            .collect();
        assert_eq!(search(&many, "x/", false).len(), MAX_OPTIONS);
    }
}
