//! The cost-over-time chart with leptos-chartistry: credits per day
//! stacked by model, with axes, a legend and a tooltip, as the viewer's
//! own `CostOverTimeChart` draws it. `make bench` compares its bundle with
//! the Leptos counter app's to weigh what the library adds.

#[cfg(target_arch = "wasm32")]
fn main() {
    use leptos::prelude::*;
    use leptos_chartistry::*;

    /// One day: its start (Unix seconds) and credits per model.
    #[derive(Clone)]
    struct Day {
        at: f64,
        models: [f64; 3],
    }

    mount_to_body(|| {
        let days: Vec<Day> = (0..90)
            .map(|d| Day {
                at: 1_790_000_000.0 + f64::from(d) * 86_400.0,
                models: [
                    f64::from(d % 7),
                    f64::from(d % 5) * 1.5,
                    f64::from(d % 3) * 0.5,
                ],
            })
            .collect();
        let data = Signal::derive(move || days.clone());
        let stack = ["o3", "gpt-5", "claude"]
            .into_iter()
            .enumerate()
            .fold(Stack::new(), |stack, (k, name)| {
                stack.line(Line::new(move |d: &Day| d.models[k]).with_name(name))
            });
        view! {
            <Chart
                aspect_ratio=AspectRatio::from_outer_ratio(800.0, 300.0)
                top=RotatedLabel::middle("Cost over time")
                left=TickLabels::aligned_floats()
                bottom=TickLabels::aligned_floats()
                right=Legend::end()
                inner=[
                    AxisMarker::left_edge().into_inner(),
                    AxisMarker::bottom_edge().into_inner(),
                    YGridLine::default().into_inner(),
                    XGuideLine::over_data().into_inner(),
                ]
                tooltip=Tooltip::left_cursor()
                series=Series::new(|d: &Day| d.at).stack(stack)
                data=data
            />
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
