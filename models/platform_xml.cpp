#include "models/platform_xml.hpp"

#include <fmt/core.h>

#include <cctype>
#include <stdexcept>

namespace leptonsim::models {
namespace {

std::string escape(std::string_view text)
{
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Numbers are written in their shortest form that reads back to the same double, with SimGrid's
// unit suffix, so that the file describes exactly the platform that leptonsim builds.
std::string number(double v, const char* unit) { return fmt::format("{}{}", v, unit); }

const char* sharing_policy(LinkSharing s)
{
  switch (s) {
    case LinkSharing::full_duplex: return "SPLITDUPLEX";
    case LinkSharing::shared: return "SHARED";
    case LinkSharing::fatpipe: return "FATPIPE";
  }
  return "SHARED";
}

void write_link(std::string& out, const std::string& indent, const std::string& name, const LinkSpec& l)
{
  out += fmt::format("{}<link id=\"{}\" bandwidth=\"{}\" latency=\"{}\" sharing_policy=\"{}\"/>\n", indent,
                     escape(name), number(l.bandwidth, "Bps"), number(l.latency, "s"), sharing_policy(l.sharing));
}

// A link as crossed by a route: split-duplex links name their direction.
std::string link_ctn(const std::string& name, const LinkSpec& l, bool up)
{
  if (l.sharing != LinkSharing::full_duplex)
    return fmt::format("<link_ctn id=\"{}\"/>", escape(name));
  return fmt::format("<link_ctn id=\"{}\" direction=\"{}\"/>", escape(name), up ? "UP" : "DOWN");
}

// The hosts of a site's zone after its switch: its compute nodes, then the QPU if it sits there.
std::vector<size_t> members(const Platform& p, size_t site)
{
  std::vector<size_t> list = p.sites[site].nodes;
  if (p.qpu && p.nodes[*p.qpu].site == site)
    list.push_back(*p.qpu);
  return list;
}

std::string props(const PowerSpec& power, int cores)
{
  std::string out;
  for (const auto& [key, value] : energy_properties(power, cores))
    out += fmt::format("        <prop id=\"{}\" value=\"{}\"/>\n", escape(key), escape(value));
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> energy_properties(const PowerSpec& p, int cores)
{
  const double epsilon = cores > 1 ? (p.one_core * cores - p.busy) / (cores - 1) : p.idle;
  return {{"wattage_per_state", fmt::format("{}:{}:{}", p.idle, epsilon, p.busy)},
          {"wattage_off", fmt::format("{}", p.off)}};
}

std::string platform_to_xml(const Platform& p, const Topology& topology, const std::string& comment)
{
  if (p.routes)
    throw std::logic_error("the platform already comes from a SimGrid XML file");
  std::string out = "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n";
  if (!comment.empty()) {
    std::string safe = comment;
    for (size_t at = safe.find("--"); at != std::string::npos; at = safe.find("--", at))
      safe.replace(at, 2, "- -");
    out += "<!-- " + safe + " -->\n";
  }
  out += "<platform version=\"4.1\">\n";
  // Like sim/platform: a zone per site whose switch is the gateway, under a zone that holds the
  // backbone. SimGrid's XML has no star zones, so each site's zone is a full zone listing the
  // routes of its star: node -> switch (access link up), switch -> node (down), node -> node.
  out += "  <zone id=\"zone:leptonsim\" routing=\"Full\">\n";
  for (size_t s = 0; s < p.sites.size(); ++s) {
    const Site& site = p.sites[s];
    out += fmt::format("    <zone id=\"zone:{}\" routing=\"Full\">\n", escape(site.name));
    // The switch draws nothing: the network's power is not modelled.
    out += fmt::format("      <host id=\"{}\" speed=\"{}\">\n", escape(site.entry), number(1e9, "f")) +
           props(PowerSpec{}, 1) + "      </host>\n";
    const auto list = members(p, s);
    for (size_t i : list) {
      const Node& n = p.nodes[i];
      const std::string head = fmt::format("      <host id=\"{}\" speed=\"{}\" core=\"{}\"", escape(n.name),
                                           number(n.speed, "f"), n.cores);
      out += head + ">\n" + props(n.power, n.cores) + "      </host>\n";
      write_link(out, "      ", n.name + ".link", n.link);
    }
    auto route = [&](const std::string& from, const std::string& to, const std::string& links) {
      out += fmt::format("      <route src=\"{}\" dst=\"{}\" symmetrical=\"NO\">{}</route>\n", escape(from),
                         escape(to), links);
    };
    for (size_t i : list) {
      const Node& n = p.nodes[i];
      route(n.name, site.entry, link_ctn(n.name + ".link", n.link, true));
      route(site.entry, n.name, link_ctn(n.name + ".link", n.link, false));
    }
    for (size_t i : list)
      for (size_t j : list)
        if (i != j)
          route(p.nodes[i].name, p.nodes[j].name,
                link_ctn(p.nodes[i].name + ".link", p.nodes[i].link, true) +
                    link_ctn(p.nodes[j].name + ".link", p.nodes[j].link, false));
    out += "    </zone>\n";
  }
  for (const auto& l : p.links)
    write_link(out, "    ", l.name, l.link);
  for (size_t a = 0; a < p.sites.size(); ++a) {
    for (size_t b = 0; b < p.sites.size(); ++b) {
      if (a == b)
        continue;
      std::string links;
      for (const auto& hop : topology.site_path(a, b))
        links += link_ctn(p.links[hop.index].name, p.links[hop.index].link, hop.up);
      out += fmt::format("    <zoneRoute src=\"zone:{}\" dst=\"zone:{}\" gw_src=\"{}\" gw_dst=\"{}\" "
                         "symmetrical=\"NO\">{}</zoneRoute>\n",
                         escape(p.sites[a].name), escape(p.sites[b].name), escape(p.sites[a].entry),
                         escape(p.sites[b].entry), links);
    }
  }
  out += "  </zone>\n</platform>\n";
  return out;
}

XmlCounts xml_counts(const Platform& p)
{
  XmlCounts c;
  c.hosts = p.sites.size() + p.nodes.size();
  c.links = p.nodes.size() + p.links.size();
  for (size_t s = 0; s < p.sites.size(); ++s) {
    const size_t m = members(p, s).size() + 1;
    c.routes += m * (m - 1);
  }
  c.routes += p.sites.size() * (p.sites.size() - 1);
  return c;
}

std::optional<PowerSpec> power_from_properties(const std::map<std::string, std::string>& properties, int cores)
{
  const auto it = properties.find("wattage_per_state");
  if (it == properties.end())
    return std::nullopt;
  const std::string& text = it->second;
  if (text.find(',') != std::string::npos)
    throw std::invalid_argument("wattage_per_state '" + text + "' has several pstates; leptonsim models one");
  std::vector<double> values;
  size_t start = 0;
  while (true) {
    const size_t colon = text.find(':', start);
    const std::string part = text.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    size_t used = 0;
    double v    = 0;
    try {
      v = std::stod(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != part.size() || !(v >= 0) || v > 1e9)
      throw std::invalid_argument("wattage_per_state '" + text + "': '" + part + "' is not a number of watts");
    values.push_back(v);
    if (colon == std::string::npos)
      break;
    start = colon + 1;
  }
  if (values.size() != 2 && values.size() != 3)
    throw std::invalid_argument("wattage_per_state '" + text + "' must be idle:busy or idle:one_core:busy");
  PowerSpec p;
  p.idle               = values.front();
  p.busy               = values.back();
  const double epsilon = values.size() == 3 ? values[1] : p.idle;
  // One busy core of `cores` is a load of 1 / cores.
  p.one_core = epsilon + (p.busy - epsilon) / cores;
  if (!(epsilon <= p.busy))
    throw std::invalid_argument("wattage_per_state '" + text + "' must not decrease from epsilon to busy");
  if (const auto off = properties.find("wattage_off"); off != properties.end()) {
    size_t used = 0;
    try {
      p.off = std::stod(off->second, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != off->second.size() || !(p.off >= 0))
      throw std::invalid_argument("wattage_off '" + off->second + "' is not a number of watts");
  }
  return p;
}

bool glob_match(std::string_view pattern, std::string_view text)
{
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

bool natural_less(std::string_view a, std::string_view b)
{
  size_t i = 0, j = 0;
  auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      size_t ie = i, je = j;
      while (ie < a.size() && digit(a[ie]))
        ++ie;
      while (je < b.size() && digit(b[je]))
        ++je;
      // Compare by value: strip leading zeros, then longer is larger, then digit by digit.
      size_t is = i, js = j;
      while (is + 1 < ie && a[is] == '0')
        ++is;
      while (js + 1 < je && b[js] == '0')
        ++js;
      if (ie - is != je - js)
        return ie - is < je - js;
      const auto x = a.substr(is, ie - is), y = b.substr(js, je - js);
      if (x != y)
        return x < y;
      i = ie;
      j = je;
    } else {
      if (a[i] != b[j])
        return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  if (a.size() - i != b.size() - j)
    return a.size() - i < b.size() - j;
  return a < b;
}

}  // namespace leptonsim::models
