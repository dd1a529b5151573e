//! `po-replay`: see `docs/replay.md` or `po-replay --help`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = pecking_order_replay::cli::run(&args, &mut stdout.lock(), &mut stderr.lock());
    std::process::exit(code);
}
