//! Play the cluster's convergence back, event by event.

use leptos::prelude::*;

use crate::explorer::scene::{moment_at, step_at, Scene};

/// How long one step shows at 1x, at least: a step further on in simulated time shows for
/// that time (1x is real time).
const STEP_MS: u64 = 700;

/// Playback of the event stream: back to the start, one step back, play or pause, one step
/// on, back to now, a speed, a slider over every event and one over simulated time (when the
/// events span any), with the step in words ("Step 5 of 23: 12.0s pod default/web-0 is
/// Ready"). Playing waits between two events as long as the simulated time between them (at
/// least a beat, so that events of one moment are seen one by one), divided by the speed. The
/// canvas and the event list follow `step`: `Some(n)` is the cluster after its first `n`
/// events, `None` the cluster now.
///
/// The words tell the whole story without motion: with `prefers-reduced-motion` the canvas
/// only changes from step to step.
#[component]
pub fn Timeline(
    #[prop(into)] scene: Signal<Scene>,
    step: RwSignal<Option<usize>>,
) -> impl IntoView {
    let playing = RwSignal::new(false);
    let speed = RwSignal::new(1u64);
    // Plain closures, not a `Memo<usize>`: a memo type is about 3 KB of wasm, and counting the
    // events costs nothing.
    let total = move || scene.with(|scene| scene.events.len());
    let total_untracked = move || scene.with_untracked(|scene| scene.events.len());
    let at = move || step.get().unwrap_or(total()).min(total());
    let end = move || scene.with(|scene| moment_at(&scene.events, scene.events.len()));
    let go = move |to: usize| {
        if to >= total_untracked() {
            step.set(None);
        } else {
            step.set(Some(to));
        }
    };
    // While playing, each step schedules the next; the last one ends at "now".
    Effect::new(move |_| {
        if !playing.get() {
            return;
        }
        let current = step.get();
        // Playing stops at "now" (`None`), so `current` is a step here.
        let gap = scene.with_untracked(|scene| {
            current.map_or(0, |n| {
                u64::from(
                    moment_at(&scene.events, n + 1).saturating_sub(moment_at(&scene.events, n)),
                )
            })
        });
        let delay = std::time::Duration::from_millis(gap.max(STEP_MS) / speed.get().max(1));
        set_timeout(
            move || {
                if !playing.get_untracked() || step.get_untracked() != current {
                    return;
                }
                let next = current.map_or(usize::MAX, |current| current + 1);
                if next >= total_untracked() {
                    playing.set(false);
                }
                go(next);
            },
            delay,
        );
    });
    let caption = move || {
        let total = total();
        match step.get() {
            None => format!("Now: all {total} events applied"),
            Some(0) => format!("Step 0 of {total}: nothing yet"),
            Some(n) => scene.with(|scene| {
                let message = scene
                    .events
                    .get(n - 1)
                    .map(String::as_str)
                    .unwrap_or_default();
                format!("Step {n} of {total}: {message}")
            }),
        }
    };
    view! {
        <div class="timeline" data-testid="timeline">
            <div class="timeline__controls" role="group" aria-label="Playback">
                <button type="button" data-testid="timeline-start" title="Back to the start" on:click=move |_| {
                    playing.set(false);
                    go(0);
                }>"|◀"</button>
                <button type="button" data-testid="timeline-back" title="One step back" on:click=move |_| {
                    playing.set(false);
                    go(at().saturating_sub(1));
                }>"◀"</button>
                <button
                    type="button"
                    data-testid="timeline-play"
                    aria-pressed=move || playing.get().to_string()
                    title="Play or pause"
                    on:click=move |_| {
                        if !playing.get_untracked() && step.get_untracked().is_none() {
                            go(0);
                        }
                        playing.update(|playing| *playing = !*playing);
                    }
                >
                    {move || if playing.get() { "||" } else { "▶" }}
                </button>
                <button type="button" data-testid="timeline-next" title="One step on" on:click=move |_| {
                    playing.set(false);
                    go(at() + 1);
                }>"▶|"</button>
                <button type="button" data-testid="timeline-now" title="The cluster now" on:click=move |_| {
                    playing.set(false);
                    step.set(None);
                }>"Now"</button>
                <label class="timeline__speed">
                    "Speed"
                    <select
                        data-testid="timeline-speed"
                        on:change=move |event| speed.set(event_target_value(&event).parse().unwrap_or(1))
                    >
                        <option value="1">"1x"</option>
                        <option value="2">"2x"</option>
                        <option value="4">"4x"</option>
                        <option value="16">"16x"</option>
                    </select>
                </label>
            </div>
            <input
                class="timeline__slider"
                data-testid="timeline-slider"
                type="range"
                min="0"
                max=move || total().to_string()
                prop:value=move || at().to_string()
                aria-label="Step"
                on:input=move |event| {
                    playing.set(false);
                    go(event_target_value(&event).parse().unwrap_or(0));
                }
            />
            <label class="timeline__time" hidden=move || end() == 0>
                "Time"
                <input
                    class="timeline__slider"
                    data-testid="timeline-time"
                    type="range"
                    min="0"
                    max=move || end().to_string()
                    step="100"
                    prop:value=move || {
                        scene.with(|scene| {
                            moment_at(&scene.events, at())
                        })
                        .to_string()
                    }
                    aria-label="Simulated time (ms)"
                    on:input=move |event| {
                        playing.set(false);
                        let wanted: u32 = event_target_value(&event).parse().unwrap_or(0);
                        go(scene.with_untracked(|scene| step_at(&scene.events, wanted)));
                    }
                />
            </label>
            <p class="timeline__caption" data-testid="timeline-caption" aria-live="polite">{caption}</p>
        </div>
    }
}
