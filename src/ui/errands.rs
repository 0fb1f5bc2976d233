//! The page's side of its second module ([`crate::explorer::errand`]): starts the worker on the
//! first errand, posts requests, and hands each answer to the panel that asked.
//!
//! Each panel has a slot, and the worker answers one request of a slot at a time. For a view
//! ([`ask`]) only the newest request matters: a newer one replaces any that waits, and the
//! answer to a question no longer asked is dropped, so fast typing in a large manifest never
//! queues up stale work. A what-if ([`ask_each`]) is never dropped: they are answered in order.

// The component tests' build answers in-thread; the worker link is unused there.
#![cfg_attr(feature = "in-thread", allow(dead_code, unused_imports))]

use std::cell::RefCell;
use std::collections::VecDeque;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::explorer::errand::{reply, Reply, Request};

/// The worker's loader, next to the page (assets/svcscope-worker-loader.js).
const LOADER: &str = "./svcscope-worker-loader.js";

/// Where an answer goes.
type Done = Box<dyn FnOnce(Reply)>;

/// One panel's errands.
struct Slot {
    name: &'static str,
    /// Every request is answered (what-ifs), not only the newest.
    each: bool,
    /// The request being answered: its id and where its answer goes.
    in_flight: Option<(u32, Done)>,
    /// The requests waiting, oldest first.
    waiting: VecDeque<(u32, Vec<u8>, Done)>,
}

#[derive(Default)]
struct Link {
    worker: Option<web_sys::Worker>,
    /// The worker has said it listens.
    ready: bool,
    /// Why the worker could not start, once it could not.
    broken: Option<String>,
    next_id: u32,
    slots: Vec<Slot>,
}

thread_local! {
    static LINK: RefCell<Link> = RefCell::new(Link::default());
}

/// Asks the second module `request` for the view `slot`; `done` gets the answer, unless a
/// newer request for the same slot is made first.
pub fn ask(slot: &'static str, request: Request, done: impl FnOnce(Reply) + 'static) {
    send(slot, false, request, Box::new(done));
}

/// Asks the second module `request` for `slot`, every request answered in order.
pub fn ask_each(slot: &'static str, request: Request, done: impl FnOnce(Reply) + 'static) {
    send(slot, true, request, Box::new(done));
}

/// The component tests' build (`--features in-thread`, `./scripts/test`'s wasm-tests): the
/// same errands answered in the page's own thread, through the same bytes, at once.
#[cfg(feature = "in-thread")]
fn send(_slot: &'static str, _each: bool, request: Request, done: Done) {
    thread_local! {
        static WORKER: RefCell<crate::explorer::errand::Worker> = RefCell::default();
    }
    let answer = WORKER.with(|worker| worker.borrow_mut().answer(&request.to_bytes()));
    done(reply(&answer).1);
}

#[cfg(not(feature = "in-thread"))]
fn send(slot: &'static str, each: bool, mut request: Request, done: Done) {
    let mut done = Some(done);
    let failed = LINK.with(|link| {
        let mut link = link.borrow_mut();
        if link.broken.is_none() && link.worker.is_none() {
            start(&mut link);
        }
        if let Some(why) = &link.broken {
            return Some(why.clone());
        }
        link.next_id = link.next_id.wrapping_add(1);
        request.id = link.next_id;
        let bytes = request.to_bytes();
        if !link.slots.iter().any(|entry| entry.name == slot) {
            link.slots.push(Slot {
                name: slot,
                each,
                in_flight: None,
                waiting: VecDeque::new(),
            });
        }
        let (ready, worker) = (link.ready, link.worker.clone());
        if let Some(entry) = link.slots.iter_mut().find(|entry| entry.name == slot) {
            if !entry.each {
                entry.waiting.clear();
            }
            if let Some(done) = done.take() {
                entry.waiting.push_back((request.id, bytes, done));
            }
            if let (true, Some(worker)) = (ready, worker) {
                send_next(entry, &worker);
            }
        }
        None
    });
    if let (Some(why), Some(done)) = (failed, done) {
        done(Reply::Failed(why));
    }
}

/// Takes over the worker that `boot.js` started (with the messages it sent meanwhile), or
/// starts one, and listens to it.
fn start(link: &mut Link) {
    let global = js_sys::global();
    let booted = js_sys::Reflect::get(&global, &JsValue::from_str("svcscopeWorker")).ok();
    let field = |name: &str| {
        booted
            .as_ref()
            .and_then(|booted| js_sys::Reflect::get(booted, &JsValue::from_str(name)).ok())
    };
    let early = field("early").filter(|early| early.is_object());
    if let Some(failed) = field("failed").and_then(|failed| failed.as_string()) {
        link.broken = Some(format!(
            "the page's second module (svcscope-worker-loader.js) failed: {failed}"
        ));
        return;
    }
    let worker = match field("worker").and_then(|worker| worker.dyn_into::<web_sys::Worker>().ok())
    {
        Some(worker) => worker,
        None => match web_sys::Worker::new(LOADER) {
            Ok(worker) => worker,
            Err(error) => {
                link.broken = Some(format!(
                    "the page's second module could not start: {}",
                    error.as_string().unwrap_or_default()
                ));
                return;
            }
        },
    };
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            answered(&js_sys::Uint8Array::new(&event.data()).to_vec());
        });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // It did not load, or it stopped (a panic there is a bug): say so, in every panel waiting.
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        let message = js_sys::Reflect::get(&event, &JsValue::from_str("message"))
            .ok()
            .and_then(|message| message.as_string())
            .unwrap_or_default();
        fail_all(format!(
            "the page's second module (svcscope-worker-loader.js) failed: {message}"
        ));
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    link.worker = Some(worker);
    // What it said before the page listened (its "ready", most often): after this call, once
    // the link is no longer borrowed.
    if let Some(early) = early {
        let early = js_sys::Array::from(&early);
        if early.length() > 0 {
            wasm_bindgen_futures::spawn_local(async move {
                for message in early.iter() {
                    answered(&js_sys::Uint8Array::new(&message).to_vec());
                }
            });
        }
    }
}

/// A message from the worker: its "ready" (empty) or an answer.
fn answered(bytes: &[u8]) {
    let delivered = LINK.with(|link| {
        let mut link = link.borrow_mut();
        let worker = link.worker.clone()?;
        if bytes.is_empty() {
            link.ready = true;
            for entry in &mut link.slots {
                send_next(entry, &worker);
            }
            return None;
        }
        let (id, answer) = reply(bytes);
        let entry = link.slots.iter_mut().find(|entry| {
            entry
                .in_flight
                .as_ref()
                .is_some_and(|(sent, _)| *sent == id)
        })?;
        let (_, done) = entry.in_flight.take()?;
        // A view's answer is stale when a newer question waits.
        let stale = !entry.each && !entry.waiting.is_empty();
        send_next(entry, &worker);
        (!stale).then_some((done, answer))
    });
    // Outside the borrow: the panel's signals may ask again.
    if let Some((done, answer)) = delivered {
        done(answer);
    }
}

/// Sends a slot's next waiting request, if nothing of it is in flight.
fn send_next(entry: &mut Slot, worker: &web_sys::Worker) {
    if entry.in_flight.is_some() {
        return;
    }
    if let Some((id, bytes, done)) = entry.waiting.pop_front() {
        entry.in_flight = Some((id, done));
        let _ = worker.post_message(&js_sys::Uint8Array::from(bytes.as_slice()));
    }
}

/// The worker failed: every request hears why, and later errands fail at once.
fn fail_all(why: String) {
    let waiting: Vec<Done> = LINK.with(|link| {
        let mut link = link.borrow_mut();
        link.broken = Some(why.clone());
        let mut all = Vec::new();
        for entry in &mut link.slots {
            all.extend(entry.in_flight.take().map(|(_, done)| done));
            all.extend(entry.waiting.drain(..).map(|(_, _, done)| done));
        }
        all
    });
    for done in waiting {
        done(Reply::Failed(why.clone()));
    }
}
