#include "sim/trace_writer.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <unistd.h>

namespace leptonsim::sim {
namespace {

// Microseconds with three decimals, from integer nanoseconds: exact, and the same text on every
// machine.
void append_us(std::string& out, int64_t ns)
{
  const char* sign = ns < 0 ? "-" : "";
  const uint64_t magnitude = ns < 0 ? static_cast<uint64_t>(-ns) : static_cast<uint64_t>(ns);
  fmt::format_to(std::back_inserter(out), "{}{}.{:03}", sign, magnitude / 1000, magnitude % 1000);
}

}  // namespace

std::string json_string(std::string_view text)
{
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        else
          out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

int64_t trace_ns(double seconds)
{
  return static_cast<int64_t>(std::llround(seconds * 1e9));
}

uint32_t TraceLanes::place(int64_t start_ns, int64_t end_ns)
{
  for (size_t lane = 0; lane < last_end_.size(); ++lane) {
    if (last_end_[lane] <= start_ns) {
      last_end_[lane] = end_ns;
      return static_cast<uint32_t>(lane);
    }
  }
  last_end_.push_back(end_ns);
  return static_cast<uint32_t>(last_end_.size() - 1);
}

TraceWriter::TraceWriter(TraceOptions options) : options_(std::move(options))
{
  namespace fs = std::filesystem;
  const fs::path parent = options_.path.has_parent_path() ? options_.path.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec)
    throw std::runtime_error("cannot create the folder " + parent.string() + ": " + ec.message());
  temporary_ = parent / fmt::format(".{}.tmp-{}", options_.path.filename().string(), ::getpid());
  file_      = std::fopen(temporary_.c_str(), "wb");
  if (!file_)
    throw std::runtime_error("cannot write " + temporary_.string());
  buffer_.resize(1 << 20);
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
  std::fputs("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n", file_);
}

TraceWriter::~TraceWriter()
{
  if (file_)
    std::fclose(file_);
  if (!finished_) {
    std::error_code ec;
    std::filesystem::remove(temporary_, ec);
  }
}

void TraceWriter::begin_event()
{
  event_.clear();
  if (!first_event_)
    event_ += ",\n";
  first_event_ = false;
}

void TraceWriter::end_event()
{
  std::fwrite(event_.data(), 1, event_.size(), file_);
}

void TraceWriter::process(uint32_t pid, std::string_view name, int64_t sort_index)
{
  begin_event();
  fmt::format_to(std::back_inserter(event_),
                 "{{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":{},\"tid\":0,\"args\":{{\"name\":{}}}}},\n"
                 "{{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":{},\"tid\":0,\"args\":{{\"sort_index\":{}}}}}",
                 pid, json_string(name), pid, sort_index);
  end_event();
}

void TraceWriter::thread(uint32_t pid, uint32_t tid, std::string_view name, int64_t sort_index)
{
  begin_event();
  fmt::format_to(std::back_inserter(event_),
                 "{{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":{},\"tid\":{},\"args\":{{\"name\":{}}}}},\n"
                 "{{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":{},\"tid\":{},\"args\":{{\"sort_index\":{}}}}}",
                 pid, tid, json_string(name), pid, tid, sort_index);
  end_event();
}

bool TraceWriter::admit(double start, double end)
{
  if (end < options_.from || start > options_.to)
    return false;
  if (options_.max_slices > 0 && slices_ >= options_.max_slices) {
    ++dropped_;
    return false;
  }
  return true;
}

void TraceWriter::slice(uint32_t pid, uint32_t tid, std::string_view category, std::string_view name, double start,
                        double end, std::string_view args)
{
  ++slices_;
  const int64_t start_ns = trace_ns(start);
  const int64_t end_ns   = trace_ns(end);
  begin_event();
  fmt::format_to(std::back_inserter(event_), "{{\"ph\":\"X\",\"cat\":{},\"name\":{},\"pid\":{},\"tid\":{},\"ts\":",
                 json_string(category), json_string(name), pid, tid);
  append_us(event_, start_ns);
  event_ += ",\"dur\":";
  append_us(event_, end_ns - start_ns);
  if (!args.empty()) {
    event_ += ",\"args\":";
    event_ += args;
  }
  event_ += '}';
  end_event();
}

void TraceWriter::instant(uint32_t pid, std::string_view category, std::string_view name, double time,
                          std::string_view args)
{
  if (time < options_.from || time > options_.to)
    return;
  begin_event();
  fmt::format_to(std::back_inserter(event_),
                 "{{\"ph\":\"i\",\"s\":\"p\",\"cat\":{},\"name\":{},\"pid\":{},\"tid\":0,\"ts\":",
                 json_string(category), json_string(name), pid);
  append_us(event_, trace_ns(time));
  if (!args.empty()) {
    event_ += ",\"args\":";
    event_ += args;
  }
  event_ += '}';
  end_event();
}

void TraceWriter::counter(uint32_t pid, std::string_view name, double time, std::string_view args)
{
  if (time < options_.from || time > options_.to)
    return;
  begin_event();
  fmt::format_to(std::back_inserter(event_), "{{\"ph\":\"C\",\"name\":{},\"pid\":{},\"tid\":0,\"ts\":",
                 json_string(name), pid);
  append_us(event_, trace_ns(time));
  event_ += ",\"args\":";
  event_ += args;
  event_ += '}';
  end_event();
}

void TraceWriter::finish(std::string_view other_data)
{
  std::string tail = "\n],\"otherData\":{";
  tail += other_data;
  tail += "}}\n";
  std::fwrite(tail.data(), 1, tail.size(), file_);
  const bool failed = std::fflush(file_) != 0 || std::ferror(file_);
  std::fclose(file_);
  file_ = nullptr;
  if (failed)
    throw std::runtime_error("writing " + temporary_.string() + " failed (disk full?)");
  std::error_code ec;
  std::filesystem::rename(temporary_, options_.path, ec);
  if (ec)
    throw std::runtime_error("cannot move the trace into " + options_.path.string() + ": " + ec.message());
  finished_ = true;
}

}  // namespace leptonsim::sim
