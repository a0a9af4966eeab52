#include "process.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace leptonsim::test {

std::filesystem::path source_dir() { return LEPTONSIM_SOURCE_DIR; }

std::filesystem::path scenario(const std::string& name) { return source_dir() / "scenarios" / (name + ".json"); }

std::filesystem::path work_dir(const std::string& test_name)
{
  const auto dir = std::filesystem::path(LEPTONSIM_WORK_DIR) / test_name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string read_file(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string without_asan_stack_warning(const std::string& text)
{
  const size_t warning = text.find("WARNING: ASan is ignoring requested __asan_handle_no_return");
  if (warning == std::string::npos)
    return text;
  const size_t previous  = text.rfind('\n', warning);  // the warning's line starts with "==PID=="
  const size_t begin     = previous == std::string::npos ? 0 : previous + 1;
  const std::string last = "For details see https://github.com/google/sanitizers/issues/189\n";
  const size_t end       = text.find(last, warning);
  if (end == std::string::npos)
    return text;
  return text.substr(0, begin) + text.substr(end + last.size());
}

int start_leptonsim(const std::vector<std::string>& args, const std::filesystem::path& out_path,
                    const std::filesystem::path& err_path)
{
  const pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<std::string> full{LEPTONSIM_BIN};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : full)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(LEPTONSIM_BIN, argv.data());
    _exit(127);
  }
  return pid;
}

ProcessResult run_leptonsim(const std::vector<std::string>& args)
{
  const auto dir      = std::filesystem::path(LEPTONSIM_WORK_DIR);
  std::filesystem::create_directories(dir);
  const auto out_path = dir / ("stdout." + std::to_string(::getpid()));
  const auto err_path = dir / ("stderr." + std::to_string(::getpid()));
  const pid_t pid     = start_leptonsim(args, out_path, err_path);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ProcessResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out       = read_file(out_path);
  r.err       = read_file(err_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return r;
}

std::vector<std::string> hidden_entries(const std::filesystem::path& dir)
{
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().filename().string()[0] == '.')
      names.push_back(e.path().filename().string());
  return names;
}

size_t complete_runs(const std::filesystem::path& runs)
{
  size_t n = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(runs, ec))
    n += e.path().filename().string()[0] != '.' && std::filesystem::exists(e.path() / "summary.json");
  return n;
}

}  // namespace leptonsim::test
