//! The generated TypeScript declarations (`schemas/pecking-order.d.ts`) type-check, and accept and
//! refuse what they should: `tsc --noEmit -p tests/ts` over the declarations and `tests/ts/usage.ts`
//! (valid messages, and invalid ones marked `@ts-expect-error`, which tsc reports if they are not
//! errors). tsc comes from the committed package-lock (`npm ci`; `make test` runs it through
//! scripts/setup.sh).

use std::path::PathBuf;
use std::process::Command;

#[test]
fn the_declarations_type_check_with_tsc() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tsc = root.join("node_modules/.bin/tsc");
    assert!(
        tsc.exists(),
        "{} is missing: run `npm ci` (or `make test`, whose scripts/setup.sh does) to install TypeScript from package-lock.json",
        tsc.display()
    );
    let out = Command::new(&tsc)
        .args(["--noEmit", "-p", "tests/ts/tsconfig.json"])
        .current_dir(&root)
        .output()
        .expect("tsc runs");
    assert!(
        out.status.success(),
        "tsc refused the declarations or the usage file:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
