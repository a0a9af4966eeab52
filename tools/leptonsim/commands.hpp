// The leptonsim command line: run, validate, model, sweep. Exit codes: 0 success, 1 an expectation
// checked with --check failed (or, for a sweep, a run failed), 2 bad input or usage, 3 an internal
// error (a bug to report).
#pragma once

namespace leptonsim::cli {

int main(int argc, char** argv);

}  // namespace leptonsim::cli
