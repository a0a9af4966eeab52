#include "models/json_input.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

namespace leptonsim::models {

void Diagnostics::add(std::string pointer, std::string message)
{
  items_.push_back({std::move(pointer), std::move(message)});
}

std::string format_diagnostics(const std::string& file, const std::vector<Diagnostic>& problems)
{
  std::string out;
  for (const auto& d : problems) {
    if (!out.empty())
      out += '\n';
    out += fmt::format("{}: {}: {}", file, d.pointer.empty() ? "(document)" : d.pointer, d.message);
  }
  return out;
}

InputError::InputError(const std::string& file, const std::vector<Diagnostic>& problems)
    : std::runtime_error(format_diagnostics(file, problems)), problems_(problems)
{
}

InputError::InputError(const std::string& file, const std::string& pointer, const std::string& message)
    : InputError(file, std::vector<Diagnostic>{{pointer, message}})
{
}

std::string escape_pointer_token(std::string_view token)
{
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string join_pointer(const std::string& parent, std::string_view token)
{
  return parent + "/" + escape_pointer_token(token);
}

std::string join_pointer(const std::string& parent, size_t index)
{
  return parent + "/" + std::to_string(index);
}

namespace {

size_t edit_distance(std::string_view a, std::string_view b)
{
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0]          = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const size_t cost  = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                                  std::tolower(static_cast<unsigned char>(b[j - 1]))
                               ? 0
                               : 1;
      row[j]   = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Line and column (1-based) of a byte offset, for syntax errors.
std::pair<size_t, size_t> line_column(const std::string& text, size_t offset)
{
  size_t line = 1;
  size_t col  = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

// Tracks where the parser is, so that a duplicate key can be reported by its JSON pointer.
struct DuplicateKeyFinder {
  struct Frame {
    bool is_array = false;
    size_t index  = 0;
    std::vector<std::string> keys;
    std::string current_key;
  };
  std::vector<Frame> frames;
  std::vector<Diagnostic> duplicates;

  std::string path() const
  {
    std::string p;
    for (size_t i = 0; i < frames.size(); ++i) {
      const auto& f = frames[i];
      // The innermost frame contributes only once a key or element is under way.
      if (f.is_array)
        p = join_pointer(p, f.index);
      else if (!f.current_key.empty() || i + 1 < frames.size())
        p = join_pointer(p, f.current_key);
    }
    return p;
  }

  void element_done()
  {
    if (!frames.empty() && frames.back().is_array)
      ++frames.back().index;
  }

  bool on_event(int depth, nlohmann::json::parse_event_t event, const Json& parsed)
  {
    (void)depth;
    using E = nlohmann::json::parse_event_t;
    switch (event) {
      case E::object_start:
        frames.push_back({false, 0, {}, {}});
        break;
      case E::array_start:
        frames.push_back({true, 0, {}, {}});
        break;
      case E::key: {
        auto& f        = frames.back();
        const auto key = parsed.get<std::string>();
        f.current_key  = key;
        if (std::find(f.keys.begin(), f.keys.end(), key) != f.keys.end())
          duplicates.push_back({path(), "key '" + key + "' appears twice in the same object; keep only one"});
        else
          f.keys.push_back(key);
        break;
      }
      case E::object_end:
      case E::array_end:
        frames.pop_back();
        element_done();
        break;
      case E::value:
        element_done();
        break;
    }
    return true;
  }
};

}  // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates)
{
  std::string best;
  size_t best_distance = std::string::npos;
  for (const auto& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best          = c;
    }
  }
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  return best_distance <= limit ? best : std::string();
}

Json parse_json_text(const std::string& text, const std::string& file)
{
  DuplicateKeyFinder finder;
  Json result;
  try {
    result = Json::parse(
        text, [&finder](int depth, Json::parse_event_t event, Json& parsed) { return finder.on_event(depth, event, parsed); },
        /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const Json::parse_error& e) {
    auto [line, col]  = line_column(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string what  = e.what();
    const auto pos    = what.find("syntax error");
    std::string brief = pos == std::string::npos ? what : what.substr(pos);
    throw InputError(file, std::vector<Diagnostic>{{fmt::format("line {}, column {}", line, col),
                                                    "invalid JSON: " + brief}});
  } catch (const Json::out_of_range& e) {
    // A number too large for a double, such as 1e400.
    std::string what = e.what();
    const auto pos   = what.find("] ");
    throw InputError(file, "", "invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
  if (!finder.duplicates.empty())
    throw InputError(file, finder.duplicates);
  return result;
}

Json load_json_file(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(path, "", "cannot open the file for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad())
    throw InputError(path, "", "cannot read the file");
  return parse_json_text(buffer.str(), path);
}

bool Range::contains(double v) const
{
  if (std::isnan(v))
    return false;
  const bool above_min = min_inclusive ? v >= min : v > min;
  const bool below_max = max_inclusive ? v <= max : v < max;
  return above_min && below_max;
}

std::string Range::describe_violation(double v, std::string_view unit) const
{
  const std::string got = unit.empty() ? fmt::format("{}", v) : fmt::format("{} {}", v, unit);
  const bool too_low    = min_inclusive ? v < min : v <= min;
  if (too_low) {
    if (min == 0.0 && !min_inclusive)
      return "must be > 0, got " + got;
    return fmt::format("must be {} {}, got {}", min_inclusive ? ">=" : ">", min, got);
  }
  return fmt::format("must be {} {}, got {}", max_inclusive ? "<=" : "<", max, got);
}

bool valid_identifier(const std::string& s)
{
  return !s.empty() && s.size() <= 128 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string type_name(const Json& value)
{
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    default:
      return "an unsupported value";
  }
}

ObjectReader::ObjectReader(const Json& value, std::string pointer, Diagnostics& diagnostics,
                           std::initializer_list<std::string_view> allowed)
    : value_(value), pointer_(std::move(pointer)), diagnostics_(diagnostics), is_object_(value.is_object())
{
  if (!is_object_) {
    diagnostics_.add(pointer_, "must be an object, got " + type_name(value));
    return;
  }
  std::vector<std::string> allowed_keys(allowed.begin(), allowed.end());
  for (const auto& item : value_.items()) {
    if (std::find(allowed_keys.begin(), allowed_keys.end(), item.key()) != allowed_keys.end())
      continue;
    std::string message = "unknown key '" + item.key() + "'";
    const std::string suggestion = did_you_mean(item.key(), allowed_keys);
    if (!suggestion.empty())
      message += "; did you mean '" + suggestion + "'?";
    else {
      std::string list;
      for (const auto& k : allowed_keys)
        list += (list.empty() ? "" : ", ") + k;
      message += "; allowed keys here: " + list;
    }
    diagnostics_.add(pointer_of(item.key()), message);
  }
}

bool ObjectReader::has(std::string_view key) const
{
  return is_object_ && value_.contains(key);
}

const Json* ObjectReader::get(std::string_view key) const
{
  if (!is_object_)
    return nullptr;
  auto it = value_.find(key);
  return it == value_.end() ? nullptr : &*it;
}

void ObjectReader::error(std::string_view key, std::string message) const
{
  diagnostics_.add(pointer_of(key), std::move(message));
}

void ObjectReader::missing(std::string_view key) const
{
  diagnostics_.add(pointer_of(key), "required key is missing");
}

std::optional<std::string> ObjectReader::string(std::string_view key, bool required) const
{
  const Json* v = get(key);
  if (!v) {
    if (required && is_object_)
      missing(key);
    return std::nullopt;
  }
  if (!v->is_string()) {
    error(key, "must be a string, got " + type_name(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> ObjectReader::boolean(std::string_view key, bool required) const
{
  const Json* v = get(key);
  if (!v) {
    if (required && is_object_)
      missing(key);
    return std::nullopt;
  }
  if (!v->is_boolean()) {
    error(key, "must be true or false, got " + type_name(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<double> ObjectReader::number(std::string_view key, bool required, Range range) const
{
  const Json* v = get(key);
  if (!v) {
    if (required && is_object_)
      missing(key);
    return std::nullopt;
  }
  if (!v->is_number()) {
    error(key, "must be a number, got " + type_name(*v));
    return std::nullopt;
  }
  const double d = v->get<double>();
  if (!std::isfinite(d)) {
    error(key, "must be a finite number");
    return std::nullopt;
  }
  if (!range.contains(d)) {
    error(key, range.describe_violation(d, ""));
    return std::nullopt;
  }
  return d;
}

std::optional<int64_t> read_integer(const Json& value, const std::string& pointer, int64_t min, int64_t max,
                                    Diagnostics& diagnostics)
{
  if (!value.is_number()) {
    diagnostics.add(pointer, "must be an integer, got " + type_name(value));
    return std::nullopt;
  }
  int64_t result = 0;
  if (value.is_number_integer() && !value.is_number_unsigned()) {
    result = value.get<int64_t>();
  } else if (value.is_number_unsigned()) {
    const auto u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(max)) {
      diagnostics.add(pointer, fmt::format("must be <= {}, got {}", max, u));
      return std::nullopt;
    }
    result = static_cast<int64_t>(u);
  } else {
    const double d = value.get<double>();
    if (!std::isfinite(d) || std::floor(d) != d) {
      diagnostics.add(pointer, fmt::format("must be an integer, got {}", d));
      return std::nullopt;
    }
    if (d < static_cast<double>(min) || d > static_cast<double>(max)) {
      diagnostics.add(pointer, fmt::format("must be between {} and {}, got {}", min, max, d));
      return std::nullopt;
    }
    result = static_cast<int64_t>(d);
  }
  if (result < min || result > max) {
    if (result < min)
      diagnostics.add(pointer, fmt::format("must be >= {}, got {}", min, result));
    else
      diagnostics.add(pointer, fmt::format("must be <= {}, got {}", max, result));
    return std::nullopt;
  }
  return result;
}

std::optional<int64_t> ObjectReader::integer(std::string_view key, bool required, int64_t min, int64_t max) const
{
  const Json* v = get(key);
  if (!v) {
    if (required && is_object_)
      missing(key);
    return std::nullopt;
  }
  return read_integer(*v, pointer_of(key), min, max, diagnostics_);
}

std::optional<double> read_quantity(const Json& value, const std::string& pointer, Quantity q, Range range,
                                    Diagnostics& diagnostics)
{
  double d = 0;
  if (value.is_number()) {
    d = value.get<double>();
    if (!std::isfinite(d)) {
      diagnostics.add(pointer, "must be a finite number");
      return std::nullopt;
    }
  } else if (value.is_string()) {
    const auto parsed = parse_quantity(value.get<std::string>(), q);
    if (!parsed.value) {
      diagnostics.add(pointer, parsed.error);
      return std::nullopt;
    }
    d = *parsed.value;
  } else {
    diagnostics.add(pointer, "must be a number in " + std::string(si_unit(q)) + " or a string such as " +
                                 std::string(unit_examples(q)) + ", got " + type_name(value));
    return std::nullopt;
  }
  if (!range.contains(d)) {
    diagnostics.add(pointer, range.describe_violation(d, si_unit(q)));
    return std::nullopt;
  }
  return d;
}

std::optional<double> ObjectReader::quantity(std::string_view key, Quantity q, bool required, Range range) const
{
  const Json* v = get(key);
  if (!v) {
    if (required && is_object_)
      missing(key);
    return std::nullopt;
  }
  return read_quantity(*v, pointer_of(key), q, range, diagnostics_);
}

std::optional<std::string> ObjectReader::choice(std::string_view key, bool required,
                                                const std::vector<std::string>& options) const
{
  auto s = string(key, required);
  if (!s)
    return std::nullopt;
  if (std::find(options.begin(), options.end(), *s) != options.end())
    return s;
  std::string message = "'" + *s + "' is not one of ";
  for (size_t i = 0; i < options.size(); ++i)
    message += (i ? ", " : "") + options[i];
  const std::string suggestion = did_you_mean(*s, options);
  if (!suggestion.empty())
    message += "; did you mean '" + suggestion + "'?";
  error(key, message);
  return std::nullopt;
}

const Json* ObjectReader::array(std::string_view key, bool required, bool allow_empty) const
{
  const Json* v = get(key);
  if (!v) {
    if (required && is_object_)
      missing(key);
    return nullptr;
  }
  if (!v->is_array()) {
    error(key, "must be an array, got " + type_name(*v));
    return nullptr;
  }
  if (!allow_empty && v->empty()) {
    error(key, "must not be empty");
    return nullptr;
  }
  return v;
}

const Json* ObjectReader::object(std::string_view key, bool required) const
{
  const Json* v = get(key);
  if (!v) {
    if (required && is_object_)
      missing(key);
    return nullptr;
  }
  if (!v->is_object()) {
    error(key, "must be an object, got " + type_name(*v));
    return nullptr;
  }
  return v;
}

}  // namespace leptonsim::models
