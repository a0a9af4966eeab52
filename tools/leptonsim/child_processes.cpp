#include "tools/leptonsim/child_processes.hpp"

#include "sim/interrupt.hpp"
#include "tools/leptonsim/interrupt.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>

namespace leptonsim::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t max_captured = 64 * 1024;

struct Pipe {
  int read_end  = -1;
  int write_end = -1;
};

// Close-on-exec, so that a child never holds another child's pipe open (its reader would then
// wait for the wrong process to end).
Pipe make_pipe()
{
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw std::system_error(errno, std::generic_category(), "pipe");
  return {fds[0], fds[1]};
}

// In the child: stdin from /dev/null, stdout to `out` (or /dev/null when -1), stderr to `err`.
// With `own_group` the child leads a process group of its own, so that a time limit can stop it
// together with anything it started.
pid_t spawn(const std::string& program, const std::vector<std::string>& args, bool search_path, int out, int err,
            bool own_group)
{
  std::vector<std::string> storage = args;
  std::vector<char*> argv;
  for (auto& a : storage)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string cannot_start = "cannot start " + program + ": ";
  const int null                 = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0)
    throw std::system_error(errno, std::generic_category(), "/dev/null");
  const pid_t parent = ::getpid();
  const pid_t pid    = ::fork();
  if (pid < 0) {
    const int e = errno;
    ::close(null);
    throw std::system_error(e, std::generic_category(), "fork");
  }
  if (pid == 0) {
    // Dies with the sweep: a sweep killed by SIGKILL cannot stop its children itself.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
      ::_exit(127);
    if (own_group)
      ::setpgid(0, 0);
    ::dup2(null, 0);
    ::dup2(out >= 0 ? out : null, 1);
    ::dup2(err, 2);
    if (search_path)
      ::execvp(program.c_str(), argv.data());
    else
      ::execv(program.c_str(), argv.data());
    const char* reason = std::strerror(errno);
    [[maybe_unused]] auto w1 = ::write(2, cannot_start.data(), cannot_start.size());
    [[maybe_unused]] auto w2 = ::write(2, reason, std::strlen(reason));
    ::_exit(127);
  }
  ::close(null);
  if (own_group)
    ::setpgid(pid, pid);  // also here, so that the group exists before the parent may signal it
  return pid;
}

ChildOutcome outcome_of(int status)
{
  ChildOutcome o;
  if (WIFSIGNALED(status)) {
    o.end  = ChildOutcome::End::signalled;
    o.code = WTERMSIG(status);
  } else {
    o.code = WEXITSTATUS(status);
  }
  return o;
}

int wait_for(pid_t pid)
{
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      throw std::system_error(errno, std::generic_category(), "waitpid");
  }
  return status;
}

enum class Read { data, nothing_yet, closed };

// Appends what one read gives (keeping the first 64 KiB).
Read drain(int fd, std::string& into)
{
  char buffer[4096];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n < 0)
    return errno == EINTR ? Read::data : errno == EAGAIN ? Read::nothing_yet : Read::closed;
  if (n == 0)
    return Read::closed;
  if (into.size() < max_captured)
    into.append(buffer, std::min(static_cast<size_t>(n), max_captured - into.size()));
  return Read::data;
}

struct Running {
  size_t index = 0;
  pid_t pid    = -1;
  int fd       = -1;
  std::string err;
  std::optional<Clock::time_point> deadline;
  bool timed_out = false;
};

// Passes a stop signal on to every running child's process group and waits for them; a child that
// has not ended after `grace` is killed.
void stop_children(std::vector<Running>& running, int signal)
{
  constexpr auto grace = std::chrono::seconds(10);
  for (const auto& r : running)
    ::killpg(r.pid, signal);
  const auto deadline = Clock::now() + grace;
  for (auto& r : running) {
    int status = 0;
    while (::waitpid(r.pid, &status, WNOHANG) == 0) {
      if (Clock::now() >= deadline)
        ::killpg(r.pid, SIGKILL);
      ::poll(nullptr, 0, 10);
    }
    ::close(r.fd);
  }
  running.clear();
}

}  // namespace

void run_children(const std::string& executable, size_t slots, size_t count, const ChildCallbacks& callbacks)
{
  slots = std::max<size_t>(1, slots);
  std::vector<Running> running;
  size_t next    = 0;
  auto last_tick = Clock::now();
  while (next < count || !running.empty()) {
    if (const int signal = sim::stop_signal()) {
      stop_children(running, signal);
      throw Interrupted(signal);
    }
    while (running.size() < slots && next < count) {
      const ChildCommand command = callbacks.command(next);
      const Pipe pipe            = make_pipe();
      Running r;
      r.index = next++;
      try {
        r.pid = spawn(executable, command.args, false, -1, pipe.write_end, true);
      } catch (...) {
        ::close(pipe.read_end);
        ::close(pipe.write_end);
        throw;
      }
      ::close(pipe.write_end);
      ::fcntl(pipe.read_end, F_SETFL, ::fcntl(pipe.read_end, F_GETFL) | O_NONBLOCK);
      r.fd = pipe.read_end;
      if (command.timeout)
        r.deadline = Clock::now() +
                     std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*command.timeout));
      running.push_back(std::move(r));
    }

    // Sleep until output arrives, a child ends (its pipe closes), a deadline passes or a tick is due.
    auto wake = last_tick + std::chrono::seconds(1);
    for (const auto& r : running)
      if (r.deadline && !r.timed_out)
        wake = std::min(wake, *r.deadline);
    const auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(wake - Clock::now()).count();
    std::vector<pollfd> fds;
    for (const auto& r : running)
      fds.push_back({r.fd, POLLIN, 0});
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<long long>(wait_ms, 0, 1000)));
    if (ready < 0 && errno != EINTR)
      throw std::system_error(errno, std::generic_category(), "poll");

    // A child has ended when its pipe closes (the usual way), or when waitpid says so while
    // something it started still holds the pipe open.
    std::vector<std::pair<size_t, int>> ended;  // index in `running`, wait status
    for (size_t i = 0; i < running.size(); ++i) {
      Running& r = running[i];
      if (fds[i].revents != 0 && drain(r.fd, r.err) == Read::closed) {
        ended.emplace_back(i, wait_for(r.pid));
        continue;
      }
      int status = 0;
      if (::waitpid(r.pid, &status, WNOHANG) == r.pid) {
        while (drain(r.fd, r.err) == Read::data) {
        }
        ended.emplace_back(i, status);
      }
    }
    for (auto it = ended.rbegin(); it != ended.rend(); ++it) {
      Running r = std::move(running[it->first]);
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(it->first));
      ::close(r.fd);
      ChildOutcome outcome = outcome_of(it->second);
      if (r.timed_out)
        outcome.end = ChildOutcome::End::timed_out;
      outcome.error_output = std::move(r.err);
      callbacks.finished(r.index, outcome);
    }

    const auto now = Clock::now();
    for (auto& r : running) {
      if (r.deadline && !r.timed_out && now >= *r.deadline) {
        ::killpg(r.pid, SIGKILL);
        r.timed_out = true;
      }
    }
    if (now - last_tick >= std::chrono::seconds(1)) {
      last_tick = now;
      if (callbacks.tick)
        callbacks.tick(running.size());
    }
  }
}

CapturedRun run_and_capture(const std::vector<std::string>& args)
{
  const Pipe out = make_pipe();
  const Pipe err = make_pipe();
  pid_t pid      = -1;
  try {
    pid = spawn(args.at(0), args, true, out.write_end, err.write_end, false);
  } catch (...) {
    for (int fd : {out.read_end, out.write_end, err.read_end, err.write_end})
      ::close(fd);
    throw;
  }
  ::close(out.write_end);
  ::close(err.write_end);
  CapturedRun result;
  bool out_open = true;
  bool err_open = true;
  while (out_open || err_open) {
    pollfd fds[2] = {{out_open ? out.read_end : -1, POLLIN, 0}, {err_open ? err.read_end : -1, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      throw std::system_error(errno, std::generic_category(), "poll");
    }
    if (out_open && fds[0].revents != 0)
      out_open = drain(out.read_end, result.out) != Read::closed;
    if (err_open && fds[1].revents != 0)
      err_open = drain(err.read_end, result.err) != Read::closed;
  }
  ::close(out.read_end);
  ::close(err.read_end);
  const ChildOutcome o = outcome_of(wait_for(pid));
  result.exit_code     = o.end == ChildOutcome::End::exited ? o.code : 128 + o.code;
  return result;
}

}  // namespace leptonsim::cli
