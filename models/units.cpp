// Unit tables mirror SimGrid 3.32's xbt_parse_units.cpp so that a scenario file accepts exactly
// the spellings a SimGrid platform file accepts.
#include "models/units.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

namespace leptonsim::models {
namespace {

using UnitTable = std::map<std::string, double, std::less<>>;

void add_prefixed(UnitTable& table, const std::string& unit, double value, int base, bool abbreviated)
{
  static const std::array<const char*, 8> decimal_short{"k", "M", "G", "T", "P", "E", "Z", "Y"};
  static const std::array<const char*, 8> decimal_long{"kilo", "mega", "giga", "tera", "peta", "exa", "zeta", "yotta"};
  static const std::array<const char*, 8> binary_short{"Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};
  static const std::array<const char*, 8> binary_long{"kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"};
  const auto& prefixes = base == 2 ? (abbreviated ? binary_short : binary_long)
                                   : (abbreviated ? decimal_short : decimal_long);
  const double step = base == 2 ? 1024.0 : 1000.0;
  table.emplace(unit, value);
  for (const char* prefix : prefixes) {
    value *= step;
    table.emplace(std::string(prefix) + unit, value);
  }
}

const UnitTable& table_for(Quantity q)
{
  static const UnitTable time{{"w", 7 * 24 * 3600.0}, {"d", 24 * 3600.0}, {"h", 3600.0}, {"m", 60.0},
                              {"s", 1.0},             {"ms", 1e-3},       {"us", 1e-6},  {"ns", 1e-9},
                              {"ps", 1e-12}};
  static const UnitTable size = [] {
    UnitTable t;
    add_prefixed(t, "b", 0.125, 2, true);
    add_prefixed(t, "b", 0.125, 10, true);
    add_prefixed(t, "B", 1.0, 2, true);
    add_prefixed(t, "B", 1.0, 10, true);
    return t;
  }();
  static const UnitTable bandwidth = [] {
    UnitTable t;
    add_prefixed(t, "bps", 0.125, 2, true);
    add_prefixed(t, "bps", 0.125, 10, true);
    add_prefixed(t, "Bps", 1.0, 2, true);
    add_prefixed(t, "Bps", 1.0, 10, true);
    return t;
  }();
  static const UnitTable flops = [] {
    UnitTable t;
    add_prefixed(t, "f", 1.0, 10, true);
    add_prefixed(t, "flops", 1.0, 10, false);
    return t;
  }();
  static const UnitTable power{{"mW", 1e-3}, {"W", 1.0}, {"kW", 1e3}, {"MW", 1e6}, {"GW", 1e9}};
  switch (q) {
    case Quantity::time:
      return time;
    case Quantity::size:
      return size;
    case Quantity::bandwidth:
      return bandwidth;
    case Quantity::speed:
    case Quantity::work:
      return flops;
    case Quantity::power:
      return power;
  }
  return time;  // unreachable: every enumerator is handled above
}

}  // namespace

std::string_view si_unit(Quantity q)
{
  switch (q) {
    case Quantity::time:
      return "s";
    case Quantity::size:
      return "B";
    case Quantity::bandwidth:
      return "B/s";
    case Quantity::speed:
      return "flop/s";
    case Quantity::work:
      return "flop";
    case Quantity::power:
      return "W";
  }
  return "";
}

std::string_view unit_examples(Quantity q)
{
  switch (q) {
    case Quantity::time:
      return "'20ms', '1.5s', '2h' or a number of seconds";
    case Quantity::size:
      return "'200B', '4KiB', '1.5MB' or a number of bytes";
    case Quantity::bandwidth:
      return "'1Gbps', '125MBps' or a number of bytes per second";
    case Quantity::speed:
      return "'10Gf', '2.5Gf' or a number of flop per second";
    case Quantity::work:
      return "'20Mf', '1Gf' or a number of flop";
    case Quantity::power:
      return "'95W', '1.2kW' or a number of watts";
  }
  return "";
}

UnitParse parse_quantity(std::string_view text, Quantity q)
{
  size_t begin = 0;
  while (begin < text.size() && std::isspace(static_cast<unsigned char>(text[begin])))
    ++begin;
  size_t end = text.size();
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1])))
    --end;
  const std::string_view trimmed = text.substr(begin, end - begin);
  if (trimmed.empty())
    return {std::nullopt, "is an empty string; expected a quantity such as " + std::string(unit_examples(q))};

  double number = 0;
  const char* first = trimmed.data();
  const char* last  = trimmed.data() + trimmed.size();
  if (*first == '+')
    ++first;
  auto [ptr, ec] = std::from_chars(first, last, number);
  if (ec == std::errc::result_out_of_range)
    return {std::nullopt, "'" + std::string(trimmed) + "' is out of the range of a double"};
  if (ec != std::errc() || ptr == first)
    return {std::nullopt, "'" + std::string(trimmed) + "' does not start with a number; expected " +
                              std::string(unit_examples(q))};
  if (!std::isfinite(number))
    return {std::nullopt, "'" + std::string(trimmed) + "' is not a finite number"};

  std::string_view unit(ptr, static_cast<size_t>(last - ptr));
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.front())))
    unit.remove_prefix(1);
  if (unit.empty())
    return {std::nullopt, "'" + std::string(trimmed) + "' has no unit; write " + std::string(unit_examples(q))};

  const auto& table = table_for(q);
  auto found        = table.find(unit);
  if (found == table.end())
    return {std::nullopt, "unknown unit '" + std::string(unit) + "' in '" + std::string(trimmed) + "'; expected " +
                              std::string(unit_examples(q))};
  const double value = number * found->second;
  if (!std::isfinite(value))
    return {std::nullopt, "'" + std::string(trimmed) + "' overflows a double"};
  return {value, {}};
}

}  // namespace leptonsim::models
