//! Property test: over random sequences of visitor and site events, nothing
#![cfg(not(target_arch = "wasm32"))]
//! optional is ever granted without an explicit, current grant from the visitor.

mod common;

use common::{demo_config, DAY, T0};
use leptos_consent::core::{
    assess, category_granted, plan_activation, record_decision, service_granted, Choice, ConsentConfig, Method,
    PageScript,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Event {
    AcceptAll,
    RejectAll,
    /// Preferences saved with these switches (one bit per category, one per service).
    Custom(u8, u8),
    /// Escape, close, scroll, navigation: never a decision.
    Dismiss,
    Advance(u64),
    BumpRevision,
    AddCategory,
    AddService,
    /// Something else on the page overwrote the stored value.
    Garbage(Vec<u8>),
    Truncate(usize),
    Clear,
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        3 => Just(Event::AcceptAll),
        3 => Just(Event::RejectAll),
        4 => (any::<u8>(), any::<u8>()).prop_map(|(c, s)| Event::Custom(c, s)),
        2 => Just(Event::Dismiss),
        3 => (0..400 * DAY).prop_map(Event::Advance),
        1 => Just(Event::BumpRevision),
        1 => Just(Event::AddCategory),
        1 => Just(Event::AddService),
        1 => proptest::collection::vec(any::<u8>(), 0..64).prop_map(Event::Garbage),
        1 => (0..400usize).prop_map(Event::Truncate),
        1 => Just(Event::Clear),
    ]
}

/// What the visitor explicitly said last, according to the test's own ledger.
struct Said {
    choice_categories: Vec<(String, bool)>,
    choice_services: Vec<(String, bool)>,
    revision: u32,
    at: u64,
}

struct World {
    cfg: ConsentConfig,
    stored: Option<String>,
    now: u64,
    said: Option<Said>,
    added: u32,
}

impl World {
    fn decide(&mut self, choice: Choice) {
        let previous = assess(self.stored.as_deref(), &self.cfg, self.now).record;
        let r = record_decision(&self.cfg, previous.as_ref(), &choice, Method::Banner, self.now, [9; 16]);
        self.stored = Some(r.encode());
        self.said = Some(Said {
            choice_categories: r.categories.clone().into_iter().collect(),
            choice_services: r.services.clone().into_iter().collect(),
            revision: self.cfg.revision,
            at: self.now,
        });
    }

    fn apply(&mut self, e: &Event) {
        match e {
            Event::AcceptAll => self.decide(Choice::accept_all(&self.cfg)),
            Event::RejectAll => self.decide(Choice::reject_all(&self.cfg)),
            Event::Custom(cats, svcs) => {
                let mut choice = Choice::reject_all(&self.cfg);
                let ids: Vec<String> = self.cfg.categories.iter().map(|c| c.id.clone()).collect();
                for (i, id) in ids.iter().enumerate() {
                    choice.set_category(&self.cfg, id, cats & (1 << (i % 8)) != 0);
                }
                let sids: Vec<String> = self.cfg.services().map(|(_, s)| s.id.clone()).collect();
                for (i, id) in sids.iter().enumerate() {
                    if svcs & (1 << (i % 8)) != 0 {
                        let on = !choice.service(id);
                        choice.set_service(&self.cfg, id, on);
                    }
                }
                self.decide(choice)
            }
            Event::Dismiss => {}
            Event::Advance(ms) => self.now += ms,
            Event::BumpRevision => self.cfg.revision += 1,
            Event::AddCategory => {
                self.added += 1;
                let mut c = self.cfg.categories[1].clone();
                c.id = format!("extra-{}", self.added);
                c.services.clear();
                self.cfg.categories.push(c);
            }
            Event::AddService => {
                self.added += 1;
                let mut s = self.cfg.categories[1].services[0].clone();
                s.id = format!("svc-{}", self.added);
                self.cfg.categories[3].services.push(s);
            }
            Event::Garbage(bytes) => {
                self.stored = Some(String::from_utf8_lossy(bytes).into_owned());
                self.said = None;
            }
            Event::Truncate(n) => {
                if let Some(s) = &mut self.stored {
                    if *n < s.len() && s.is_char_boundary(*n) {
                        s.truncate(*n);
                        self.said = None;
                    }
                }
            }
            Event::Clear => {
                self.stored = None;
                self.said = None;
            }
        }
    }

    /// The visitor's explicit, current answer for an id, if there is one.
    fn explicit(&self, id: &str, services: bool) -> Option<bool> {
        let said = self.said.as_ref()?;
        if said.revision != self.cfg.revision || said.at + self.cfg.expiry_ms() <= self.now {
            return None;
        }
        let list = if services {
            &said.choice_services
        } else {
            &said.choice_categories
        };
        list.iter().find(|(k, _)| k == id).map(|(_, v)| *v)
    }

    fn check(&self) -> Result<(), TestCaseError> {
        let a = assess(self.stored.as_deref(), &self.cfg, self.now);
        let rec = a.record.as_ref();
        for c in self.cfg.categories.iter().filter(|c| !c.read_only) {
            if category_granted(&self.cfg, rec, &c.id) {
                prop_assert_eq!(
                    self.explicit(&c.id, false),
                    Some(true),
                    "category {} granted without an explicit current grant",
                    c.id
                );
            }
        }
        for (c, s) in self.cfg.services().filter(|(c, _)| !c.read_only) {
            if service_granted(&self.cfg, rec, &s.id) {
                prop_assert_eq!(
                    self.explicit(&s.id, true),
                    Some(true),
                    "service {} granted without an explicit current grant",
                    s.id
                );
                prop_assert_eq!(
                    self.explicit(&c.id, false),
                    Some(true),
                    "service {} granted under an ungranted category",
                    s.id
                );
            }
        }
        // The script gate agrees with the grants.
        let scripts: Vec<PageScript> = self
            .cfg
            .services()
            .filter(|(c, _)| !c.read_only)
            .map(|(c, s)| PageScript {
                category: c.id.clone(),
                service: Some(s.id.clone()),
                done: false,
            })
            .collect();
        for i in plan_activation(&self.cfg, rec, &scripts).run {
            let svc = scripts[i].service.as_deref().unwrap_or_default();
            prop_assert_eq!(
                self.explicit(svc, true),
                Some(true),
                "script for {} ran without consent",
                svc
            );
        }
        // No valid, current, complete answer means the banner shows.
        let complete = self.said.is_some()
            && self
                .cfg
                .categories
                .iter()
                .all(|c| self.explicit(&c.id, false).is_some())
            && self.cfg.services().all(|(_, s)| self.explicit(&s.id, true).is_some());
        prop_assert_eq!(a.prompt.is_none(), complete, "prompt {:?}", a.prompt);
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn nothing_is_granted_without_an_explicit_current_grant(events in proptest::collection::vec(event(), 1..40)) {
        let mut w = World { cfg: demo_config(), stored: None, now: T0, said: None, added: 0 };
        w.check()?;
        for e in &events {
            w.apply(e);
            w.check()?;
        }
    }

    #[test]
    fn arbitrary_stored_text_never_panics_or_grants(text in ".{0,300}") {
        let cfg = demo_config();
        let a = assess(Some(&text), &cfg, T0);
        prop_assert!(a.record.is_none());
        prop_assert!(a.prompt.is_some());
    }
}
