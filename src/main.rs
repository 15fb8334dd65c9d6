fn main() -> std::process::ExitCode {
    delphi::cli::main()
}
