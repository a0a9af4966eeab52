// Runs the leptonsim binary as a user would, capturing exit code and output.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace leptonsim::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

ProcessResult run_leptonsim(const std::vector<std::string>& args);

// Starts leptonsim without waiting; its stdout and stderr go to the given files.
int start_leptonsim(const std::vector<std::string>& args, const std::filesystem::path& out,
                    const std::filesystem::path& err);

std::filesystem::path source_dir();
std::filesystem::path scenario(const std::string& name);  // scenarios/<name>.json
// A fresh, empty folder for one test, under the build tree.
std::filesystem::path work_dir(const std::string& test_name);
std::string read_file(const std::filesystem::path& path);
// `text` without AddressSanitizer's one-time warning that it ignores __asan_handle_no_return, which a
// sanitizer build prints when an exception leaves a SimGrid actor's stack (docs/testing.md): three
// lines that are not leptonsim's. Any other sanitizer output is kept.
std::string without_asan_stack_warning(const std::string& text);

// Entries of `dir` whose names start with '.': staging folders of runs not yet complete.
std::vector<std::string> hidden_entries(const std::filesystem::path& dir);
// Run folders under `runs` that hold a summary.json (hidden staging folders not counted).
size_t complete_runs(const std::filesystem::path& runs);

}  // namespace leptonsim::test
