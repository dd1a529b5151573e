//! Node's `process.cpuUsage()` for the wasm measurement tests (the runner runs them under node):
//! CPU time beside wall time in the figures, as the machine may be shared (BENCHMARKS.md).

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    type CpuUsage;
    #[wasm_bindgen(js_namespace = process, js_name = cpuUsage)]
    fn cpu_usage() -> CpuUsage;
    #[wasm_bindgen(method, getter)]
    fn user(this: &CpuUsage) -> f64;
    #[wasm_bindgen(method, getter)]
    fn system(this: &CpuUsage) -> f64;
}

/// CPU time of the node process so far, in ms (user + system).
pub fn cpu_ms() -> f64 {
    let u = cpu_usage();
    (u.user() + u.system()) / 1e3
}
