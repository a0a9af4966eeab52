// SimGrid allows one engine per process. CTest already runs each test case on its own (see
// doctest_discover_tests); run by hand without a filter, this program forks once per test case.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
  bool filtered = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    filtered = filtered || arg.rfind("-tc", 0) == 0 || arg.rfind("--test-case", 0) == 0 || arg.rfind("-l", 0) == 0 ||
               arg.rfind("--list", 0) == 0 || arg.rfind("-h", 0) == 0 || arg.rfind("--help", 0) == 0;
  }
  if (filtered) {
    doctest::Context context(argc, argv);
    return context.run();
  }
  int failed = 0;
  int total  = 0;
  for (const auto& test : doctest::detail::getRegisteredTests()) {
    ++total;
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
      std::vector<std::string> args(argv, argv + argc);
      args.push_back(std::string("--test-case=") + test.m_name);
      std::vector<char*> child_argv;
      for (auto& a : args)
        child_argv.push_back(a.data());
      doctest::Context context(static_cast<int>(child_argv.size()), child_argv.data());
      _exit(context.run());
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      ++failed;
      std::printf("FAILED in its own process: %s\n", test.m_name);
    }
  }
  std::printf("%d passed, %d failed\n", total - failed, failed);
  return failed == 0 ? 0 : 1;
}
