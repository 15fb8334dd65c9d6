fn main() -> std::process::ExitCode {
    restore_sigpipe();
    delphi::cli::main()
}

/// Rust ignores SIGPIPE, so `delphi outbox | head` would panic on the closed pipe; a command-line
/// tool should simply stop, as every Unix tool does.
#[cfg(unix)]
fn restore_sigpipe() {
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_sigpipe() {}
