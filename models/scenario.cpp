#include "models/scenario.hpp"

#include "models/cost_model.hpp"
#include "models/dag.hpp"
#include "models/federated.hpp"
#include "models/platform_xml.hpp"
#include "models/topology.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <set>

namespace leptonsim::models {

const char* to_string(SiteKind k) { return k == SiteKind::edge ? "edge" : "cloud"; }
const char* to_string(NodeKind k)
{
  switch (k) {
    case NodeKind::edge:
      return "edge";
    case NodeKind::cloud:
      return "cloud";
    case NodeKind::qpu:
      return "qpu";
  }
  return "?";
}
const char* to_string(NetworkModelKind k)
{
  switch (k) {
    case NetworkModelKind::ideal:
      return "ideal";
    case NetworkModelKind::cm02:
      return "cm02";
    case NetworkModelKind::lv08:
      return "lv08";
  }
  return "?";
}
const char* to_string(PolicyKind k)
{
  switch (k) {
    case PolicyKind::round_robin:
      return "round_robin";
    case PolicyKind::capacity_weighted:
      return "capacity_weighted";
    case PolicyKind::least_loaded:
      return "least_loaded";
    case PolicyKind::random:
      return "random";
    case PolicyKind::power_of_two:
      return "power_of_two";
    case PolicyKind::nearest:
      return "nearest";
    case PolicyKind::edge_first:
      return "edge_first";
    case PolicyKind::heft:
      return "heft";
  }
  return "?";
}
const char* to_string(ArrivalKind k) { return k == ArrivalKind::periodic ? "periodic" : "poisson"; }
const char* to_string(WorkDistribution d)
{
  switch (d) {
    case WorkDistribution::constant:
      return "constant";
    case WorkDistribution::exponential:
      return "exponential";
    case WorkDistribution::lognormal:
      return "lognormal";
  }
  return "?";
}

namespace {

const std::vector<std::string> policy_names{"round_robin", "capacity_weighted", "least_loaded", "random",
                                            "power_of_two", "nearest",           "edge_first",   "heft"};

PolicyKind policy_from_name(const std::string& name)
{
  for (PolicyKind k : {PolicyKind::round_robin, PolicyKind::capacity_weighted, PolicyKind::least_loaded,
                       PolicyKind::random, PolicyKind::power_of_two, PolicyKind::nearest, PolicyKind::edge_first,
                       PolicyKind::heft})
    if (name == to_string(k))
      return k;
  return PolicyKind::least_loaded;
}

// Builds the Scenario while collecting diagnostics. Names resolve through the maps below; a
// replicated entry ("count": n) is known both by its template name and by each replica's name.
class ScenarioParser {
public:
  ScenarioParser(const Json& doc, const std::string& file, const PlatformLoader& loader)
      : doc_(doc), file_(file), loader_(loader)
  {
  }

  Scenario parse()
  {
    ObjectReader root(doc_, "", diags_,
                      {"name", "description", "seed", "network", "platform", "workload", "policy", "faults", "expect",
                       "output", "costs", "$schema"});
    if (!root.ok())
      throw InputError(file_, diags_.items());
    scenario_.file = file_;
    scenario_.document = doc_;
    if (auto name = root.string("name", true)) {
      if (valid_identifier(*name))
        scenario_.name = *name;
      else
        root.error("name", "'" + *name + "' is not a valid name: " + identifier_rule);
    }
    if (auto d = root.string("description", false))
      scenario_.description = *d;
    if (auto seed = root.integer("seed", false, 0, std::numeric_limits<int64_t>::max()))
      scenario_.seed = static_cast<uint64_t>(*seed);

    read_network(root);
    read_default_policy(root);
    if (const Json* platform = root.object("platform", true))
      read_platform(*platform, root.pointer_of("platform"));
    if (const Json* faults = root.object("faults", false))
      read_faults(*faults, root.pointer_of("faults"));
    if (const Json* workload = root.object("workload", true))
      read_workload(*workload, root.pointer_of("workload"));
    if (const Json* expect = root.object("expect", false))
      read_expect(*expect, root.pointer_of("expect"));
    if (const Json* output = root.object("output", false))
      read_output(*output, root.pointer_of("output"));
    if (const Json* costs = root.object("costs", false))
      read_prices(*costs, root.pointer_of("costs"));
    check_size();

    if (!diags_.empty())
      throw InputError(file_, diags_.items());
    return std::move(scenario_);
  }

private:
  const Json& doc_;
  std::string file_;
  const PlatformLoader& loader_;
  Diagnostics diags_;
  Scenario scenario_;
  PolicySpec default_policy_;
  bool platform_ok_ = false;
  std::vector<std::string> declared_dags_;

  // Site names (replica names and template names) -> site indices.
  std::map<std::string, std::vector<size_t>, std::less<>> site_names_;
  std::map<std::string, std::vector<size_t>, std::less<>> node_names_;  // compute nodes only
  std::map<std::string, std::string, std::less<>> used_names_;          // every name -> where declared

  bool claim_name(const std::string& name, const std::string& pointer)
  {
    auto [it, inserted] = used_names_.emplace(name, pointer);
    if (!inserted)
      diags_.add(pointer, "name '" + name + "' is already used at " + it->second);
    return inserted;
  }

  void read_network(const ObjectReader& root)
  {
    const Json* net = root.object("network", false);
    if (!net)
      return;
    ObjectReader r(*net, root.pointer_of("network"), diags_, {"model", "tcp_gamma"});
    if (auto model = r.choice("model", false, {"ideal", "cm02", "lv08"})) {
      scenario_.network.model = *model == "ideal"  ? NetworkModelKind::ideal
                                : *model == "cm02" ? NetworkModelKind::cm02
                                                   : NetworkModelKind::lv08;
    }
    if (auto gamma = r.quantity("tcp_gamma", Quantity::size, false, Range::positive(1e15)))
      scenario_.network.tcp_gamma = *gamma;
  }

  std::optional<PolicySpec> read_policy(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"name", "threshold"});
    if (!r.ok())
      return std::nullopt;
    auto name = r.choice("name", true, policy_names);
    if (!name)
      return std::nullopt;
    PolicySpec spec{policy_from_name(*name)};
    if (r.has("threshold")) {
      if (spec.kind != PolicyKind::edge_first) {
        r.error("threshold", "applies to the edge_first policy only");
        return std::nullopt;
      }
      auto threshold = r.quantity("threshold", Quantity::time, true, Range::non_negative(limits::max_duration));
      if (!threshold)
        return std::nullopt;
      spec.threshold = *threshold;
    }
    return spec;
  }

  void read_default_policy(const ObjectReader& root)
  {
    if (const Json* p = root.get("policy")) {
      if (auto spec = read_policy(*p, root.pointer_of("policy")))
        default_policy_ = *spec;
    }
  }

  std::optional<LinkSpec> read_link(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"bandwidth", "latency", "sharing"});
    return link_fields(r);
  }

  // The bandwidth/latency/sharing fields of a node link or a backbone link entry.
  std::optional<LinkSpec> link_fields(const ObjectReader& r)
  {
    if (!r.ok())
      return std::nullopt;
    auto bw  = r.quantity("bandwidth", Quantity::bandwidth, true, Range::positive(1e15));
    auto lat = r.quantity("latency", Quantity::time, true, Range::non_negative(1e6));
    LinkSpec spec;
    if (auto sharing = r.choice("sharing", false, {"full_duplex", "shared", "fatpipe"})) {
      spec.sharing = *sharing == "full_duplex" ? LinkSharing::full_duplex
                     : *sharing == "shared"    ? LinkSharing::shared
                                               : LinkSharing::fatpipe;
    }
    if (!bw || !lat)
      return std::nullopt;
    spec.bandwidth = *bw;
    spec.latency   = *lat;
    return spec;
  }

  std::optional<PowerSpec> read_power(const Json& value, const std::string& pointer, int cores)
  {
    ObjectReader r(value, pointer, diags_, {"idle", "one_core", "busy", "off"});
    if (!r.ok())
      return std::nullopt;
    auto idle = r.quantity("idle", Quantity::power, true, Range::non_negative(1e9));
    auto busy = r.quantity("busy", Quantity::power, true, Range::non_negative(1e9));
    auto one  = r.quantity("one_core", Quantity::power, false, Range::non_negative(1e9));
    auto off  = r.quantity("off", Quantity::power, false, Range::non_negative(1e9));
    if (!idle || !busy)
      return std::nullopt;
    if (*busy < *idle) {
      r.error("busy", fmt::format("must be >= idle ({} W), got {} W", *idle, *busy));
      return std::nullopt;
    }
    PowerSpec p;
    p.idle     = *idle;
    p.busy     = *busy;
    p.one_core = one ? *one : *idle + (*busy - *idle) / cores;
    p.off      = off ? *off : 0.0;
    if (p.one_core < p.idle || p.one_core > p.busy) {
      r.error("one_core", fmt::format("must lie between idle ({} W) and busy ({} W), got {} W", p.idle, p.busy,
                                      p.one_core));
      return std::nullopt;
    }
    return p;
  }
  // A node's "cost": owned (capital, lifetime_years, operating_per_hour), rented by the core-hour
  // (core_hour) or by device time (per_second). Unspecified figures keep the class's defaults when
  // the billing is the class's own; a node billed otherwise than its class must give its price.
  std::optional<NodeCostSpec> read_cost(const Json& value, const std::string& pointer, NodeKind kind, int cores)
  {
    ObjectReader r(value, pointer, diags_,
                   {"capital", "lifetime_years", "operating_per_hour", "core_hour", "per_second"});
    if (!r.ok())
      return std::nullopt;
    using Billing = NodeCostSpec::Billing;
    const bool owned   = r.has("capital") || r.has("lifetime_years") || r.has("operating_per_hour");
    const bool hourly  = r.has("core_hour");
    const bool by_time = r.has("per_second");
    if (owned + hourly + by_time > 1) {
      r.error(hourly ? "core_hour" : "per_second",
              "a node is either owned (capital, lifetime_years, operating_per_hour), rented by the core-hour "
              "(core_hour) or rented by device time (per_second): give the keys of one of them");
      return std::nullopt;
    }
    const size_t before = diags_.size();
    auto capital   = r.number("capital", false, Range::non_negative(1e12));
    auto lifetime  = r.number("lifetime_years", false, Range::positive(100));
    auto operating = r.number("operating_per_hour", false, Range::non_negative(1e9));
    auto core_hour = r.number("core_hour", false, Range::non_negative(1e6));
    auto per_sec   = r.number("per_second", false, Range::non_negative(1e9));
    if (diags_.size() != before)
      return std::nullopt;
    NodeCostSpec c = default_node_cost(kind, cores);
    const Billing billing = owned ? Billing::owned : hourly ? Billing::core_hours : by_time ? Billing::device_time
                                                                                          : c.billing;
    if (billing != c.billing) {
      c         = NodeCostSpec{};
      c.billing = billing;
      c.cores   = cores;
      c.lifetime = 5 * seconds_per_year;
      if (billing == Billing::owned && !capital) {
        r.error("capital", std::string("required for a ") + to_string(kind) +
                               " node that is owned (its class is rented by default)");
        return std::nullopt;
      }
    }
    if (capital)
      c.capital = *capital;
    if (lifetime)
      c.lifetime = *lifetime * seconds_per_year;
    if (operating)
      c.operating_per_hour = *operating;
    if (core_hour)
      c.core_hour = *core_hour;
    if (per_sec)
      c.per_second = *per_sec;
    return c;
  }

  // "power" and "cost" of a node or of the QPU, each defaulting to its class's figures.
  bool read_power_and_cost(const ObjectReader& r, NodeKind kind, int cores, PowerSpec& power, NodeCostSpec& cost)
  {
    power = default_power(kind, cores);
    cost  = default_node_cost(kind, cores);
    bool ok = true;
    if (const Json* pw = r.object("power", false)) {
      auto p = read_power(*pw, r.pointer_of("power"), cores);
      ok     = ok && p.has_value();
      if (p)
        power = *p;
    } else if (r.has("power")) {
      ok = false;
    }
    if (const Json* c = r.object("cost", false)) {
      auto spec = read_cost(*c, r.pointer_of("cost"), kind, cores);
      ok        = ok && spec.has_value();
      if (spec)
        cost = *spec;
    } else if (r.has("cost")) {
      ok = false;
    }
    return ok;
  }


  void read_platform(const Json& value, const std::string& pointer)
  {
    if (value.is_object() && value.contains("simgrid_xml")) {
      read_xml_platform(value, pointer);
      return;
    }
    ObjectReader r(value, pointer, diags_, {"sites", "links", "qpu"});
    if (!r.ok())
      return;
    const size_t diags_before = diags_.size();
    Platform& p = scenario_.platform;
    if (const Json* sites = r.array("sites", true)) {
      for (size_t i = 0; i < sites->size(); ++i)
        read_site((*sites)[i], join_pointer(r.pointer_of("sites"), i));
    }
    if (const Json* links = r.array("links", false, true)) {
      for (size_t i = 0; i < links->size(); ++i)
        read_site_link((*links)[i], join_pointer(r.pointer_of("links"), i));
    }
    if (const Json* qpu = r.object("qpu", false))
      read_qpu(*qpu, r.pointer_of("qpu"));
    if (p.compute_node_count() == 0 && diags_.size() == diags_before)
      r.error("sites", "the platform has no compute node; add \"nodes\" to at least one site");
    if (diags_.size() == diags_before && !p.sites.empty()) {
      const Topology topology(p);
      if (auto problem = topology.connectivity_problem())
        r.error(p.links.empty() ? "sites" : "links", *problem);
      else
        platform_ok_ = true;
    }
  }

  // A "nodes" entry as written, before it is placed in each replica of its site.
  struct NodeTemplate {
    std::string name;
    bool replicated = false;
    int64_t count   = 1;
    double speed    = 0;
    int cores       = 1;
    LinkSpec link;
    PowerSpec power;
    NodeCostSpec cost;
    std::string pointer;
  };

  void read_site(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"name", "kind", "count", "link", "nodes"});
    if (!r.ok())
      return;
    auto name = r.string("name", true);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid site name: " + identifier_rule);
      name.reset();
    }
    SiteKind kind = SiteKind::edge;
    if (auto k = r.choice("kind", false, {"edge", "cloud"}))
      kind = *k == "edge" ? SiteKind::edge : SiteKind::cloud;
    const bool replicated = r.has("count");
    auto count            = r.integer("count", false, 1, limits::max_sites);
    std::optional<LinkSpec> default_link;
    if (const Json* link = r.object("link", false))
      default_link = read_link(*link, r.pointer_of("link"));
    std::vector<NodeTemplate> templates;
    bool nodes_ok = true;
    if (const Json* nodes = r.array("nodes", false, true)) {
      for (size_t j = 0; j < nodes->size(); ++j) {
        auto t = read_node((*nodes)[j], join_pointer(r.pointer_of("nodes"), j), default_link,
                           kind == SiteKind::edge ? NodeKind::edge : NodeKind::cloud);
        if (t)
          templates.push_back(std::move(*t));
        else
          nodes_ok = false;
      }
    }
    if (!name || (replicated && !count) || !nodes_ok)
      return;
    const int64_t replicas = count ? *count : 1;
    int64_t nodes_per_site = 0;
    for (const auto& t : templates)
      nodes_per_site += t.count;
    Platform& p = scenario_.platform;
    if (static_cast<int64_t>(p.sites.size()) + replicas > limits::max_sites) {
      r.error("count", fmt::format("the platform would have more than {} sites", limits::max_sites));
      return;
    }
    if (static_cast<double>(p.nodes.size()) + static_cast<double>(replicas) * static_cast<double>(nodes_per_site) >
        static_cast<double>(limits::max_nodes)) {
      r.error(replicated ? "count" : "nodes", fmt::format("the platform would have more than {} nodes",
                                                          limits::max_nodes));
      return;
    }
    if (replicated && !claim_name(*name, pointer))
      return;
    for (int64_t i = 0; i < replicas; ++i) {
      const std::string site_name = replicated ? fmt::format("{}-{}", *name, i) : *name;
      if (!claim_name(site_name, pointer))
        return;
      const size_t site = p.sites.size();
      p.sites.push_back({site_name, kind, {}, pointer, site_name + ".switch"});
      site_names_[site_name].push_back(site);
      if (replicated)
        site_names_[*name].push_back(site);
      for (const auto& t : templates)
        place_nodes(t, site);
    }
  }

  std::optional<NodeTemplate> read_node(const Json& value, const std::string& pointer,
                                        const std::optional<LinkSpec>& site_link, NodeKind kind)
  {
    ObjectReader r(value, pointer, diags_, {"name", "count", "speed", "cores", "link", "power", "cost"});
    if (!r.ok())
      return std::nullopt;
    NodeTemplate t;
    t.pointer = pointer;
    auto name = r.string("name", true);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid node name: " + identifier_rule);
      name.reset();
    } else if (name && *name == "switch") {
      r.error("name", "'switch' is reserved for the site's switch; choose another node name");
      name.reset();
    }
    t.replicated = r.has("count");
    auto count   = r.integer("count", false, 1, limits::max_nodes);
    auto speed   = r.quantity("speed", Quantity::speed, true, Range::positive(1e21));
    auto cores   = r.integer("cores", false, 1, limits::max_cores);
    std::optional<LinkSpec> link = site_link;
    if (const Json* l = r.object("link", false))
      link = read_link(*l, r.pointer_of("link"));
    else if (!site_link && !r.has("link"))
      r.error("link", "required key is missing (no \"link\" is given for the node nor for its site)");
    t.cores = cores ? static_cast<int>(*cores) : 1;
    if (!read_power_and_cost(r, kind, t.cores, t.power, t.cost))
      return std::nullopt;
    if (!name || !speed || !link || (r.has("cores") && !cores) || (t.replicated && !count))
      return std::nullopt;
    t.name  = *name;
    t.count = count ? *count : 1;
    t.speed = *speed;
    t.link  = *link;
    return t;
  }

  void place_nodes(const NodeTemplate& t, size_t site)
  {
    Platform& p            = scenario_.platform;
    const std::string base = p.sites[site].name + "." + t.name;
    if (t.replicated && !claim_name(base, t.pointer))
      return;
    for (int64_t i = 0; i < t.count; ++i) {
      Node node;
      node.name = t.replicated ? fmt::format("{}-{}", base, i) : base;
      if (!claim_name(node.name, t.pointer))
        return;
      node.site    = site;
      node.kind    = p.sites[site].kind == SiteKind::edge ? NodeKind::edge : NodeKind::cloud;
      node.speed   = t.speed;
      node.cores   = t.cores;
      node.link    = t.link;
      node.power   = t.power;
      node.cost    = t.cost;
      node.pointer = t.pointer;
      const size_t index = p.nodes.size();
      p.nodes.push_back(std::move(node));
      p.sites[site].nodes.push_back(index);
      node_names_[p.nodes[index].name].push_back(index);
      if (t.replicated)
        node_names_[base].push_back(index);
    }
  }

  // Resolves a site name used as a link end or job source; templates give all their replicas.
  std::optional<std::vector<size_t>> resolve_site(const std::string& name, const std::string& pointer)
  {
    auto it = site_names_.find(name);
    if (it != site_names_.end())
      return it->second;
    std::vector<std::string> known;
    for (const auto& [n, _] : site_names_)
      known.push_back(n);
    std::string message = "no site is named '" + name + "'";
    const auto suggestion = did_you_mean(name, known);
    if (!suggestion.empty())
      message += "; did you mean '" + suggestion + "'?";
    diags_.add(pointer, message);
    return std::nullopt;
  }

  void read_site_link(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"name", "between", "bandwidth", "latency", "sharing", "qkd"});
    if (!r.ok())
      return;
    auto spec = link_fields(r);
    std::optional<QkdSpec> qkd;
    if (const Json* q = r.object("qkd", false)) {
      qkd = read_qkd(*q, r.pointer_of("qkd"));
      if (!qkd)
        return;
    } else if (r.has("qkd")) {
      return;
    }
    auto name = r.string("name", false);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid link name: " + identifier_rule);
      return;
    }
    const Json* between = r.array("between", true);
    if (!between)
      return;
    if (between->size() != 2 || !(*between)[0].is_string() || !(*between)[1].is_string()) {
      r.error("between", "must list exactly two site names, e.g. [\"district\", \"cloud\"]");
      return;
    }
    const std::string a_name = (*between)[0].get<std::string>();
    const std::string b_name = (*between)[1].get<std::string>();
    auto a = resolve_site(a_name, join_pointer(r.pointer_of("between"), size_t{0}));
    auto b = resolve_site(b_name, join_pointer(r.pointer_of("between"), size_t{1}));
    if (!a || !b || !spec)
      return;
    if (a->size() > 1 && b->size() > 1) {
      r.error("between", "both ends name replicated sites; link specific replicas (e.g. '" +
                             scenario_.platform.sites[a->front()].name + "') instead");
      return;
    }
    auto& links = scenario_.platform.links;
    const std::vector<size_t>& many = a->size() > 1 ? *a : *b;
    const size_t one                = a->size() > 1 ? b->front() : a->front();
    for (size_t i = 0; i < many.size(); ++i) {
      const size_t x = a->size() > 1 ? many[i] : one;
      const size_t y = a->size() > 1 ? one : many[i];
      if (x == y) {
        r.error("between", "a link must join two different sites");
        return;
      }
      for (const auto& existing : links) {
        if ((existing.a == x && existing.b == y) || (existing.a == y && existing.b == x)) {
          r.error("between", "sites '" + scenario_.platform.sites[x].name + "' and '" +
                                 scenario_.platform.sites[y].name + "' are already linked at " + existing.pointer);
          return;
        }
      }
      std::string link_name = name ? (many.size() > 1 ? fmt::format("{}-{}", *name, i) : *name)
                                   : scenario_.platform.sites[x].name + "--" + scenario_.platform.sites[y].name;
      if (!claim_name("link:" + link_name, pointer))
        return;
      links.push_back({link_name, x, y, *spec, qkd, pointer});
    }
  }

  std::optional<QpuDevice> read_device(const Json& value, const std::string& pointer)
  {
    std::vector<std::string> names;
    for (const auto& d : qpu_presets())
      names.push_back(d.name);
    if (value.is_string()) {
      const std::string name = value.get<std::string>();
      if (auto preset = qpu_preset(name))
        return preset;
      std::string message = "'" + name + "' is not a known device (";
      for (size_t i = 0; i < names.size(); ++i)
        message += (i ? ", " : "") + names[i];
      message += ")";
      const auto suggestion = did_you_mean(name, names);
      if (!suggestion.empty())
        message += "; did you mean '" + suggestion + "'?";
      diags_.add(pointer, message);
      return std::nullopt;
    }
    // An object: a preset to start from (optional) and the figures that differ.
    ObjectReader r(value, pointer, diags_,
                   {"preset", "qubits", "gate_1q_time", "gate_2q_time", "error_1q", "error_2q", "readout_time",
                    "readout_error", "repetition_delay", "max_shots", "max_circuits", "job_overhead"});
    if (!r.ok())
      return std::nullopt;
    QpuDevice device;
    bool ok = true;
    if (auto preset = r.string("preset", false)) {
      auto base = read_device(Json(*preset), r.pointer_of("preset"));
      if (!base)
        return std::nullopt;
      device = *base;
    }
    const bool from_preset = r.has("preset");
    auto integer = [&](const char* key, auto& field, int64_t max) {
      if (auto v = r.integer(key, !from_preset, 1, max))
        field = static_cast<std::remove_reference_t<decltype(field)>>(*v);
      else if (r.has(key) || !from_preset)
        ok = false;
    };
    auto time = [&](const char* key, double& field) {
      if (auto v = r.quantity(key, Quantity::time, !from_preset, Range::non_negative(1e6)))
        field = *v;
      else if (r.has(key) || !from_preset)
        ok = false;
    };
    auto probability = [&](const char* key, double& field) {
      if (auto v = r.number(key, !from_preset, Range{0.0, 1.0, true, false}))
        field = *v;
      else if (r.has(key) || !from_preset)
        ok = false;
    };
    integer("qubits", device.qubits, 1000000);
    time("gate_1q_time", device.gate_1q_time);
    time("gate_2q_time", device.gate_2q_time);
    probability("error_1q", device.error_1q);
    probability("error_2q", device.error_2q);
    time("readout_time", device.readout_time);
    probability("readout_error", device.readout_error);
    time("repetition_delay", device.repetition_delay);
    integer("max_shots", device.max_shots, 1000000000);
    integer("max_circuits", device.max_circuits, 1000000);
    time("job_overhead", device.job_overhead);
    if (!ok)
      return std::nullopt;
    if (!from_preset)
      device.name = "custom";
    return device;
  }

  void read_calibration(const Json& value, const std::string& pointer, QpuSpec& spec)
  {
    if (!value.is_array()) {
      diags_.add(pointer, "must be an array of windows such as {\"start\": \"1h\", \"duration\": \"10m\", "
                          "\"every\": \"6h\"}, got " + type_name(value));
      return;
    }
    for (size_t i = 0; i < value.size(); ++i) {
      ObjectReader w(value[i], join_pointer(pointer, i), diags_, {"start", "duration", "every"});
      auto start    = w.quantity("start", Quantity::time, true, Range::non_negative(limits::max_duration));
      auto duration = w.quantity("duration", Quantity::time, true, Range::positive(limits::max_duration));
      auto every    = w.quantity("every", Quantity::time, false, Range::positive(limits::max_duration));
      if (!start || !duration || (w.has("every") && !every))
        continue;
      if (every && *every <= *duration) {
        w.error("every", fmt::format("must exceed the window's duration ({} s), or the QPU never accepts a job",
                                     *duration));
        continue;
      }
      spec.calibration.push_back({*start, *duration, every.value_or(0.0)});
    }
  }

  std::optional<QkdSpec> read_qkd(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_,
                   {"mode", "key_rate", "fibre_km", "attenuation", "pulse_rate", "mean_photons", "detector_efficiency",
                    "protocol_efficiency", "pool", "initial", "rekey_bytes", "rekey_interval"});
    if (!r.ok())
      return std::nullopt;
    QkdSpec q;
    bool ok = true;
    if (auto mode = r.choice("mode", true, {"otp", "aes"}))
      q.mode = *mode == "otp" ? QkdSpec::Mode::otp : QkdSpec::Mode::aes;
    else
      ok = false;
    const bool has_rate = r.has("key_rate");
    const bool has_fibre = r.has("fibre_km");
    if (has_rate == has_fibre) {
      r.error("key_rate", "give either \"key_rate\" (e.g. \"1Mbps\") or \"fibre_km\" to compute it from the "
                          "fibre's loss, and only one of them");
      return std::nullopt;
    }
    QkdLinkModel model;
    auto model_field = [&](const char* key, double& field, Range range) {
      if (auto v = r.number(key, false, range))
        field = *v;
      else if (r.has(key))
        ok = false;
      if (r.has(key) && has_rate) {
        r.error(key, "describes the fibre and the devices; it applies with \"fibre_km\", not with \"key_rate\"");
        ok = false;
      }
    };
    model_field("attenuation", model.attenuation, Range::non_negative(10));
    model_field("pulse_rate", model.pulse_rate, Range::positive(1e15));
    model_field("mean_photons", model.mean_photons, Range::positive(100));
    model_field("detector_efficiency", model.detector_efficiency, Range{0.0, 1.0, false, true});
    model_field("protocol_efficiency", model.protocol_efficiency, Range{0.0, 1.0, false, true});
    if (has_rate) {
      // A key rate in bits per second: a bandwidth in bytes per second, times 8.
      auto rate = r.quantity("key_rate", Quantity::bandwidth, true, Range::positive(1e15));
      if (!rate)
        return std::nullopt;
      q.key_rate = *rate * 8.0;
    } else {
      auto km = r.number("fibre_km", true, Range::non_negative(10000));
      if (!km)
        return std::nullopt;
      q.fibre_km = *km;
      q.key_rate = qkd_key_rate(model, *km);
    }
    // Sizes in bits: a size in bytes, times 8.
    auto pool    = r.quantity("pool", Quantity::size, false, Range::positive(1e18));
    auto initial = r.quantity("initial", Quantity::size, false, Range::non_negative(1e18));
    q.pool       = pool ? *pool * 8.0 : 60.0 * q.key_rate;  // default: a minute of key
    q.initial    = initial ? *initial * 8.0 : 0.0;
    if ((r.has("pool") && !pool) || (r.has("initial") && !initial))
      ok = false;
    if (q.initial > q.pool) {
      r.error("initial", "is more than the pool holds");
      ok = false;
    }
    for (const char* key : {"rekey_bytes", "rekey_interval"}) {
      if (r.has(key) && q.mode != QkdSpec::Mode::aes) {
        r.error(key, "applies to \"aes\" mode; with \"otp\" every data bit takes a key bit");
        ok = false;
      }
    }
    if (auto bytes = r.quantity("rekey_bytes", Quantity::size, false, Range::positive(1e18)))
      q.rekey_bytes = *bytes;
    if (auto interval = r.quantity("rekey_interval", Quantity::time, false, Range::positive(limits::max_duration)))
      q.rekey_interval = *interval;
    if (q.mode == QkdSpec::Mode::aes && q.rekey_bytes == 0 && q.rekey_interval == 0 && ok) {
      r.error("mode", "\"aes\" needs \"rekey_bytes\", \"rekey_interval\" or both");
      ok = false;
    }
    if (!ok)
      return std::nullopt;
    return q;
  }

  void read_qpu(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_,
                   {"name", "site", "speed", "link", "device", "calibration", "power", "cost"});
    if (!r.ok())
      return;
    std::string name = "qpu";
    if (auto n = r.string("name", false)) {
      if (!valid_identifier(*n)) {
        r.error("name", "'" + *n + "' is not a valid name: " + identifier_rule);
        return;
      }
      name = *n;
    }
    auto site_name = r.string("site", true);
    auto speed     = r.quantity("speed", Quantity::speed, true, Range::positive(1e21));
    std::optional<LinkSpec> link;
    if (const Json* l = r.object("link", true))
      link = read_link(*l, r.pointer_of("link"));
    QpuSpec spec;
    bool spec_ok = true;
    if (const Json* device = r.get("device")) {
      spec.device = read_device(*device, r.pointer_of("device"));
      spec_ok     = spec.device.has_value();
    }
    if (const Json* calibration = r.get("calibration")) {
      const size_t before = diags_.size();
      read_calibration(*calibration, r.pointer_of("calibration"), spec);
      spec_ok = spec_ok && diags_.size() == before;
    }
    PowerSpec power;
    NodeCostSpec cost;
    spec_ok = read_power_and_cost(r, NodeKind::qpu, 1, power, cost) && spec_ok;
    if (!site_name || !speed || !link || !spec_ok)
      return;
    auto sites = resolve_site(*site_name, r.pointer_of("site"));
    if (!sites)
      return;
    if (sites->size() != 1) {
      r.error("site", "names a replicated site; choose one replica, e.g. '" +
                          scenario_.platform.sites[sites->front()].name + "'");
      return;
    }
    Platform& p = scenario_.platform;
    Node node;
    node.site  = sites->front();
    node.name  = p.sites[node.site].name + "." + name;
    node.kind  = NodeKind::qpu;
    node.speed = *speed;
    node.cores = 1;
    node.link  = *link;
    node.power = power;
    node.cost  = cost;
    node.pointer = pointer;
    if (!claim_name(node.name, pointer))
      return;
    p.qpu      = p.nodes.size();
    p.qpu_spec = spec;
    p.nodes.push_back(node);
  }

  // ---- A platform read from a SimGrid XML file: sites and the QPU name its hosts ----

  std::map<std::string, const XmlHost*, std::less<>> xml_hosts_;
  std::vector<std::string> xml_host_names_;  // natural order, for patterns and suggestions
  std::map<std::string, std::string, std::less<>> xml_claimed_;  // host -> where it became a node
  std::vector<std::string> hosts_without_power_;  // nodes whose hosts have no power figures, in reading order

  std::string unknown_host(const std::string& name) const
  {
    std::string message   = "the SimGrid platform has no host named '" + name + "'";
    const auto suggestion = did_you_mean(name, xml_host_names_);
    if (!suggestion.empty())
      message += "; did you mean '" + suggestion + "'?";
    return message;
  }

  void read_xml_platform(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"simgrid_xml", "sites", "qpu"});
    const size_t diags_before = diags_.size();
    auto path = r.string("simgrid_xml", true);
    const Json* sites = r.array("sites", true);
    if (!path || !sites)
      return;
    namespace fs = std::filesystem;
    fs::path resolved = *path;
    if (resolved.is_relative())
      resolved = fs::path(file_).parent_path() / resolved;
    if (!loader_) {
      r.error("simgrid_xml", "SimGrid platform files are read only where SimGrid runs (leptonsim run, validate, "
                             "model)");
      return;
    }
    LoadedPlatform loaded;
    try {
      loaded = loader_(resolved.string(), scenario_.network);
    } catch (const std::exception& e) {
      r.error("simgrid_xml", e.what());
      return;
    }
    Platform& p   = scenario_.platform;
    p.simgrid_xml = resolved.string();
    p.routes      = loaded.routes;
    for (const auto& h : loaded.hosts) {
      xml_hosts_.emplace(h.name, &h);
      xml_host_names_.push_back(h.name);
    }
    std::sort(xml_host_names_.begin(), xml_host_names_.end(),
              [](const std::string& a, const std::string& b) { return natural_less(a, b); });
    std::string qpu_host;
    const Json* qpu = r.get("qpu");
    if (qpu && qpu->is_object() && qpu->contains("host") && (*qpu)["host"].is_string())
      qpu_host = (*qpu)["host"].get<std::string>();
    for (size_t i = 0; i < sites->size(); ++i)
      read_xml_site((*sites)[i], join_pointer(r.pointer_of("sites"), i), qpu_host);
    if (qpu)
      read_xml_qpu(*qpu, r.pointer_of("qpu"));
    if (diags_.size() != diags_before)
      return;
    note_hosts_without_power(r.pointer_of("simgrid_xml"));
    if (p.compute_node_count() == 0) {
      r.error("sites", "no site has a compute node; list hosts in a site's \"nodes\"");
      return;
    }
    // Work moves between a site's entry and its nodes, and between sites: SimGrid must route them.
    auto check_route = [&](const std::string& a, const std::string& b, const std::string& where) {
      if (a == b)
        return true;
      try {
        p.routes->route(a, b);
        p.routes->route(b, a);
        return true;
      } catch (const std::exception& e) {
        diags_.add(where, e.what());
        return false;
      }
    };
    bool routed = true;
    for (const auto& node : p.nodes)
      routed = routed && check_route(p.sites[node.site].entry, node.name, node.pointer);
    for (size_t a = 0; a < p.sites.size() && routed; ++a)
      for (size_t b = a + 1; b < p.sites.size() && routed; ++b)
        routed = check_route(p.sites[a].entry, p.sites[b].entry, p.sites[b].pointer);
    platform_ok_ = routed;
  }

  void read_xml_site(const Json& value, const std::string& pointer, const std::string& qpu_host)
  {
    ObjectReader r(value, pointer, diags_, {"name", "kind", "count", "entry", "nodes", "cost"});
    if (!r.ok())
      return;
    auto name = r.string("name", true);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid site name: " + identifier_rule);
      name.reset();
    }
    SiteKind kind = SiteKind::edge;
    if (auto k = r.choice("kind", false, {"edge", "cloud"}))
      kind = *k == "edge" ? SiteKind::edge : SiteKind::cloud;
    // The cost figures of every node of the site; read per node, whose cores come from its host.
    const Json* cost = r.object("cost", false);
    if (!cost && r.has("cost"))
      return;
    const bool replicated = r.has("count");
    auto count            = r.integer("count", false, 1, limits::max_sites);
    auto entry            = r.string("entry", true);
    std::vector<std::string> patterns;
    if (const Json* nodes = r.array("nodes", false, true)) {
      for (size_t j = 0; j < nodes->size(); ++j) {
        if ((*nodes)[j].is_string())
          patterns.push_back((*nodes)[j].get<std::string>());
        else
          diags_.add(join_pointer(r.pointer_of("nodes"), j),
                     "must be a host name or a pattern such as \"c-*\", got " + type_name((*nodes)[j]));
      }
    }
    if (!name || !entry || (replicated && !count) || patterns.size() != (r.has("nodes") ? (*r.get("nodes")).size() : 0))
      return;
    const bool uses_index = entry->find("{i}") != std::string::npos ||
                            std::any_of(patterns.begin(), patterns.end(),
                                        [](const std::string& s) { return s.find("{i}") != std::string::npos; });
    if (uses_index && !replicated) {
      r.error("entry", "\"{i}\" stands for the replica number and needs \"count\"");
      return;
    }
    Platform& p = scenario_.platform;
    const int64_t replicas = count ? *count : 1;
    if (static_cast<int64_t>(p.sites.size()) + replicas > limits::max_sites) {
      r.error("count", fmt::format("the platform would have more than {} sites", limits::max_sites));
      return;
    }
    if (replicated && !claim_name(*name, pointer))
      return;
    auto substitute = [](std::string text, int64_t i) {
      for (size_t at = text.find("{i}"); at != std::string::npos; at = text.find("{i}", at))
        text.replace(at, 3, std::to_string(i));
      return text;
    };
    for (int64_t i = 0; i < replicas; ++i) {
      const std::string site_name = replicated ? fmt::format("{}-{}", *name, i) : *name;
      if (!claim_name(site_name, pointer))
        return;
      const std::string entry_host = substitute(*entry, i);
      if (!xml_hosts_.count(entry_host)) {
        r.error("entry", unknown_host(entry_host));
        return;
      }
      if (entry_host == qpu_host) {
        r.error("entry", "'" + entry_host + "' is the quantum co-processor; sensors and data enter at another host");
        return;
      }
      const size_t site = p.sites.size();
      p.sites.push_back({site_name, kind, {}, pointer, entry_host});
      site_names_[site_name].push_back(site);
      if (replicated)
        site_names_[*name].push_back(site);
      for (size_t j = 0; j < patterns.size(); ++j)
        if (!place_xml_nodes(substitute(patterns[j], i), join_pointer(r.pointer_of("nodes"), j), site, qpu_host,
                             cost, r.pointer_of("cost")))
          return;
    }
  }

  bool place_xml_nodes(const std::string& pattern, const std::string& pointer, size_t site,
                       const std::string& qpu_host, const Json* cost, const std::string& cost_pointer)
  {
    std::vector<std::string> hosts;
    if (pattern.find_first_of("*?") == std::string::npos) {
      if (!xml_hosts_.count(pattern)) {
        diags_.add(pointer, unknown_host(pattern));
        return false;
      }
      hosts.push_back(pattern);
    } else {
      for (const auto& h : xml_host_names_)
        if (glob_match(pattern, h) && h != qpu_host)
          hosts.push_back(h);
      if (hosts.empty()) {
        diags_.add(pointer, "the pattern '" + pattern + "' matches no host of the SimGrid platform");
        return false;
      }
    }
    Platform& p = scenario_.platform;
    for (const auto& host_name : hosts) {
      if (host_name == qpu_host) {
        diags_.add(pointer, "'" + host_name + "' is the quantum co-processor; it runs no classical tasks");
        return false;
      }
      if (auto [it, fresh] = xml_claimed_.emplace(host_name, pointer); !fresh) {
        diags_.add(pointer, "host '" + host_name + "' is already a node at " + it->second);
        return false;
      }
      if (static_cast<int64_t>(p.nodes.size()) >= limits::max_nodes) {
        diags_.add(pointer, fmt::format("the platform would have more than {} nodes", limits::max_nodes));
        return false;
      }
      const XmlHost& host = *xml_hosts_.at(host_name);
      Node node;
      node.name    = host.name;
      node.site    = site;
      node.kind    = p.sites[site].kind == SiteKind::edge ? NodeKind::edge : NodeKind::cloud;
      node.speed   = host.speed;
      node.cores   = host.cores;
      node.pointer = pointer;
      node.cost    = default_node_cost(node.kind, node.cores);
      if (cost) {
        auto spec = read_cost(*cost, cost_pointer, node.kind, node.cores);
        if (!spec)
          return false;
        node.cost = *spec;
      }
      try {
        // A host without power figures draws nothing, as SimGrid's energy plugin has it.
        const auto power = power_from_properties(host.properties, host.cores);
        if (!power)
          hosts_without_power_.push_back(host.name);
        node.power = power.value_or(PowerSpec{});
      } catch (const std::invalid_argument& e) {
        diags_.add(pointer, "host '" + host.name + "': " + e.what());
        return false;
      }
      if (!claim_name(node.name, pointer))
        return false;
      const size_t index = p.nodes.size();
      p.nodes.push_back(std::move(node));
      p.sites[site].nodes.push_back(index);
      node_names_[host_name].push_back(index);
    }
    return true;
  }

  // One note for the whole file: the nodes whose hosts have no power figures draw 0 W.
  void note_hosts_without_power(const std::string& pointer)
  {
    const auto& names = hosts_without_power_;
    if (names.empty())
      return;
    const std::string list = names.size() <= 4 ? fmt::format("{}", fmt::join(names, ", "))
                                               : fmt::format("{}, {}, {}, ... {}", names[0], names[1], names[2],
                                                             names.back());
    const size_t nodes = scenario_.platform.nodes.size();
    const bool one     = names.size() == 1;
    scenario_.notes.push_back(
        {pointer, fmt::format("{} of the {} node{} ({}) {} no \"wattage_per_state\" property in the file: {} 0 W "
                              "and {} nothing to the run's energy",
                              names.size(), nodes, nodes == 1 ? "" : "s", list, one ? "has" : "have",
                              one ? "it draws" : "they draw", one ? "adds" : "add")});
  }

  void read_xml_qpu(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"host", "site", "device", "calibration", "cost"});
    if (!r.ok())
      return;
    auto host_name = r.string("host", true);
    auto site_name = r.string("site", true);
    QpuSpec spec;
    bool spec_ok = true;
    if (const Json* device = r.get("device")) {
      spec.device = read_device(*device, r.pointer_of("device"));
      spec_ok     = spec.device.has_value();
    }
    if (const Json* calibration = r.get("calibration")) {
      const size_t before = diags_.size();
      read_calibration(*calibration, r.pointer_of("calibration"), spec);
      spec_ok = spec_ok && diags_.size() == before;
    }
    if (!host_name || !site_name || !spec_ok)
      return;
    if (!xml_hosts_.count(*host_name)) {
      r.error("host", unknown_host(*host_name));
      return;
    }
    auto sites = resolve_site(*site_name, r.pointer_of("site"));
    if (!sites)
      return;
    if (sites->size() != 1) {
      r.error("site", "names a replicated site; choose one replica, e.g. '" +
                          scenario_.platform.sites[sites->front()].name + "'");
      return;
    }
    const XmlHost& host = *xml_hosts_.at(*host_name);
    Platform& p = scenario_.platform;
    Node node;
    node.site    = sites->front();
    node.name    = host.name;
    node.kind    = NodeKind::qpu;
    node.speed   = host.speed;
    node.cores   = 1;
    node.pointer = pointer;
    node.cost    = default_node_cost(NodeKind::qpu, 1);
    if (const Json* cost = r.object("cost", false)) {
      auto c = read_cost(*cost, r.pointer_of("cost"), NodeKind::qpu, 1);
      if (!c)
        return;
      node.cost = *c;
    } else if (r.has("cost")) {
      return;
    }
    try {
      const auto power = power_from_properties(host.properties, 1);
      if (!power)
        hosts_without_power_.push_back(host.name);
      node.power = power.value_or(PowerSpec{});
    } catch (const std::invalid_argument& e) {
      r.error("host", "host '" + host.name + "': " + e.what());
      return;
    }
    if (!claim_name(node.name, pointer))
      return;
    p.qpu      = p.nodes.size();
    p.qpu_spec = spec;
    p.nodes.push_back(node);
  }

  // Resolves the node set of a "targets"/"nodes" list. A site template resolves to the caller's own
  // replica when `own_site` came from that template, and to every replica otherwise.
  std::optional<std::vector<size_t>> resolve_nodes(const Json& list, const std::string& pointer,
                                                   std::optional<size_t> own_site)
  {
    std::set<size_t> result;
    bool ok = true;
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string item_pointer = join_pointer(pointer, i);
      if (!list[i].is_string()) {
        diags_.add(item_pointer, "must be a site or node name, got " + type_name(list[i]));
        ok = false;
        continue;
      }
      const std::string name = list[i].get<std::string>();
      if (name == "*") {
        for (size_t n = 0; n < scenario_.platform.compute_node_count(); ++n)
          result.insert(n);
        continue;
      }
      if (auto it = node_names_.find(name); it != node_names_.end()) {
        result.insert(it->second.begin(), it->second.end());
        continue;
      }
      if (auto it = site_names_.find(name); it != site_names_.end()) {
        std::vector<size_t> sites = it->second;
        if (sites.size() > 1 && own_site) {
          auto own = std::find(sites.begin(), sites.end(), *own_site);
          if (own != sites.end())
            sites = {*own};
        }
        size_t added = 0;
        for (size_t s : sites) {
          for (size_t n : scenario_.platform.sites[s].nodes) {
            result.insert(n);
            ++added;
          }
        }
        if (added == 0) {
          diags_.add(item_pointer, "site '" + name + "' has no compute nodes");
          ok = false;
        }
        continue;
      }
      if (scenario_.platform.qpu && scenario_.platform.nodes[*scenario_.platform.qpu].name == name) {
        diags_.add(item_pointer, "'" + name + "' is the quantum co-processor; it does not run classical tasks");
        ok = false;
        continue;
      }
      std::vector<std::string> known;
      for (const auto& [n, _] : site_names_)
        known.push_back(n);
      for (const auto& [n, _] : node_names_)
        known.push_back(n);
      std::string message   = "no site or node is named '" + name + "'";
      const auto suggestion = did_you_mean(name, known);
      if (!suggestion.empty())
        message += "; did you mean '" + suggestion + "'?";
      diags_.add(item_pointer, message);
      ok = false;
    }
    if (!ok)
      return std::nullopt;
    return std::vector<size_t>(result.begin(), result.end());
  }

  void read_workload(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"duration", "groups", "jobs", "dags", "federated"});
    if (!r.ok())
      return;
    Workload& w = scenario_.workload;
    if (!r.has("groups") && !r.has("jobs") && !r.has("federated")) {
      diags_.add(pointer, "needs \"groups\" (sensor streams), \"jobs\" (batch jobs), \"federated\" (federated "
                          "learning) or several of them");
      return;
    }
    if (const Json* dags = r.array("dags", false)) {
      for (size_t i = 0; i < dags->size(); ++i)
        read_dag((*dags)[i], join_pointer(r.pointer_of("dags"), i));
    }
    if (const Json* groups = r.array("groups", false)) {
      if (auto duration = r.quantity("duration", Quantity::time, true, Range::positive(limits::max_duration)))
        w.duration = *duration;
      for (size_t i = 0; i < groups->size(); ++i)
        read_group((*groups)[i], join_pointer(r.pointer_of("groups"), i));
    } else if (r.has("duration")) {
      r.error("duration", "applies to sensor groups, and this workload has none");
    }
    if (const Json* jobs = r.array("jobs", false)) {
      for (size_t i = 0; i < jobs->size(); ++i)
        read_job((*jobs)[i], join_pointer(r.pointer_of("jobs"), i));
    }
    if (const Json* federated = r.array("federated", false)) {
      for (size_t i = 0; i < federated->size(); ++i)
        read_federated((*federated)[i], join_pointer(r.pointer_of("federated"), i));
    }
  }

  // The nodes one name stands for (a node, a site, a template or "*"), with any problem reported
  // at `pointer` itself rather than at an array element.
  std::optional<std::vector<size_t>> resolve_name(const Json& name, const std::string& pointer)
  {
    Diagnostics outer = std::move(diags_);
    diags_            = Diagnostics{};
    auto nodes        = resolve_nodes(Json::array({name}), pointer, std::nullopt);
    Diagnostics inner = std::move(diags_);
    diags_            = std::move(outer);
    for (const auto& d : inner.items())
      diags_.add(pointer, d.message);
    return nodes;
  }

  // One node: a node's name, or a site or template that has exactly one node.
  std::optional<size_t> resolve_one_node(const Json& name, const std::string& pointer)
  {
    auto nodes = resolve_name(name, pointer);
    if (!nodes)
      return std::nullopt;
    if (nodes->size() != 1) {
      diags_.add(pointer, fmt::format("'{}' names {} nodes; name one node", name.get<std::string>(), nodes->size()));
      return std::nullopt;
    }
    return nodes->front();
  }

  void read_federated(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_,
                   {"name", "clients", "aggregator", "edge_aggregators", "rounds", "clients_per_round", "over_commit",
                    "wait_for", "deadline", "min_updates", "model", "training", "aggregation", "start", "privacy"});
    if (!r.ok())
      return;
    FederatedJob job;
    job.pointer = pointer;
    bool ok     = true;
    auto name   = r.string("name", true);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid federated job name: " + identifier_rule);
      name.reset();
    }
    auto rounds    = r.integer("rounds", true, 1, limits::max_rounds);
    auto k         = r.integer("clients_per_round", false, 1, limits::max_fl_clients);
    auto over      = r.number("over_commit", false, Range{1.0, 10.0, true, true});
    auto wait_for  = r.choice("wait_for", false, {"first_k", "all"});
    auto deadline  = r.quantity("deadline", Quantity::time, false, Range::positive(limits::max_duration));
    auto min_upd   = r.integer("min_updates", false, 1, limits::max_fl_clients);
    auto start     = r.quantity("start", Quantity::time, false, Range::non_negative(limits::max_duration));
    ok = ok && name && rounds && !(r.has("clients_per_round") && !k) && !(r.has("over_commit") && !over) &&
         !(r.has("wait_for") && !wait_for) && !(r.has("deadline") && !deadline) &&
         !(r.has("min_updates") && !min_upd) && !(r.has("start") && !start);
    if (const Json* model = r.object("model", true)) {
      ObjectReader m(*model, r.pointer_of("model"), diags_, {"parameters", "bits_per_parameter"});
      auto params = m.number("parameters", true, Range{1.0, 1e13, true, true});
      auto bits   = m.number("bits_per_parameter", false, Range{1.0, 1024.0, true, true});
      ok          = ok && params && !(m.has("bits_per_parameter") && !bits);
      job.parameters         = params.value_or(0.0);
      job.bits_per_parameter = bits.value_or(32.0);
    } else {
      ok = false;
    }
    if (const Json* training = r.object("training", true)) {
      ObjectReader t(*training, r.pointer_of("training"), diags_, {"samples", "flops_per_sample", "epochs"});
      auto samples = t.number("samples", true, Range::positive(1e15));
      auto fps     = t.quantity("flops_per_sample", Quantity::work, true, Range::positive(1e18));
      auto epochs  = t.integer("epochs", false, 1, 100000);
      ok           = ok && samples && fps && !(t.has("epochs") && !epochs);
      job.samples          = samples.value_or(0.0);
      job.flops_per_sample = fps.value_or(0.0);
      job.epochs           = static_cast<int>(epochs.value_or(1));
    } else {
      ok = false;
    }
    if (const Json* aggregation = r.object("aggregation", false)) {
      ObjectReader a(*aggregation, r.pointer_of("aggregation"), diags_, {"flops_per_parameter"});
      auto f = a.quantity("flops_per_parameter", Quantity::work, true, Range::non_negative(1e9));
      ok     = ok && f;
      job.aggregation_flops_per_parameter = f.value_or(1.0);
    } else if (r.has("aggregation")) {
      ok = false;
    }
    std::optional<PrivacySpec> privacy;
    if (const Json* p = r.object("privacy", false)) {
      privacy = read_privacy(*p, r.pointer_of("privacy"), diags_, PrivacyHost::federated_job, nullptr);
      ok      = ok && privacy;
    } else if (r.has("privacy")) {
      ok = false;
    }
    if (!platform_ok_)
      return;
    std::optional<std::vector<size_t>> clients;
    if (const Json* list = r.array("clients", true))
      clients = resolve_nodes(*list, r.pointer_of("clients"), std::nullopt);
    std::optional<size_t> aggregator;
    if (const Json* a = r.get("aggregator")) {
      if (a->is_string())
        aggregator = resolve_one_node(*a, r.pointer_of("aggregator"));
      else
        r.error("aggregator", "must be a node name, got " + type_name(*a));
    } else {
      r.missing("aggregator");
    }
    std::optional<std::vector<size_t>> edges;
    if (const Json* list = r.array("edge_aggregators", false)) {
      edges = resolve_nodes(*list, r.pointer_of("edge_aggregators"), std::nullopt);
      ok    = ok && edges;
    } else if (r.has("edge_aggregators")) {
      ok = false;
    }
    if (!ok || !clients || !aggregator)
      return;
    job.name       = *name;
    job.clients    = *clients;
    job.aggregator = *aggregator;
    job.rounds     = static_cast<int>(*rounds);
    const uint64_t n = job.clients.size();
    job.clients_per_round = k ? static_cast<uint64_t>(*k) : n;
    if (job.clients_per_round > n) {
      r.error("clients_per_round", fmt::format("K = {} exceeds the N = {} clients that \"clients\" names; a round "
                                               "cannot sample more clients than there are",
                                               job.clients_per_round, n));
      return;
    }
    job.over_commit = over.value_or(1.0);
    job.wait_for    = wait_for ? (*wait_for == "all" ? FlWaitFor::all : FlWaitFor::first_k)
                               : (job.over_commit > 1.0 ? FlWaitFor::first_k : FlWaitFor::all);
    job.deadline    = deadline;
    job.min_updates = static_cast<uint64_t>(min_upd.value_or(1));
    if (job.min_updates > job.clients_per_round) {
      r.error("min_updates", fmt::format("{} exceeds the {} clients per round", job.min_updates,
                                         job.clients_per_round));
      return;
    }
    job.start = start.value_or(0.0);
    if (privacy)
      job.privacy = *privacy;
    if (job.privacy.secure_aggregation && !r.get("privacy")->at("secure_aggregation").contains("value_bits"))
      job.privacy.secure_aggregation->value_bits = job.bits_per_parameter;
    if (job.privacy.dp && !r.get("privacy")->at("dp").contains("values"))
      job.privacy.dp->mechanism.values = job.parameters;  // noise on every parameter of the aggregate
    if (edges) {
      // Each client reports to the edge aggregator of its own site.
      const auto& nodes = scenario_.platform.nodes;
      job.edge_aggregators = *edges;
      for (size_t c : job.clients) {
        std::optional<size_t> found;
        for (size_t e = 0; e < job.edge_aggregators.size(); ++e) {
          if (nodes[job.edge_aggregators[e]].site != nodes[c].site)
            continue;
          if (found) {
            r.error("edge_aggregators", "site '" + scenario_.platform.sites[nodes[c].site].name +
                                            "' has two edge aggregators; give one per site");
            return;
          }
          found = e;
        }
        if (!found) {
          r.error("edge_aggregators", "client '" + nodes[c].name + "' has no edge aggregator in its site '" +
                                          scenario_.platform.sites[nodes[c].site].name + "'");
          return;
        }
        job.client_edge.push_back(*found);
      }
    }
    if (!claim_name("federated:" + job.name, pointer))
      return;
    scenario_.workload.federated.push_back(std::move(job));
  }

  // A work amount: a quantity (constant), or {"mean", "distribution", "cv"}.
  std::optional<WorkSpec> read_work(const ObjectReader& r, std::string_view key, bool required)
  {
    const Json* v = r.get(key);
    if (!v) {
      if (required)
        r.missing(key);
      return std::nullopt;
    }
    if (!v->is_object()) {
      auto mean = read_quantity(*v, r.pointer_of(key), Quantity::work, Range::positive(1e21), diags_);
      if (!mean)
        return std::nullopt;
      return WorkSpec{*mean, WorkDistribution::constant, 0.0};
    }
    ObjectReader w(*v, r.pointer_of(key), diags_, {"mean", "distribution", "cv"});
    auto mean = w.quantity("mean", Quantity::work, true, Range::positive(1e21));
    auto dist = w.choice("distribution", false, {"constant", "exponential", "lognormal"});
    WorkSpec spec;
    spec.distribution = !dist                    ? WorkDistribution::constant
                        : *dist == "exponential" ? WorkDistribution::exponential
                        : *dist == "lognormal"   ? WorkDistribution::lognormal
                                                 : WorkDistribution::constant;
    if (spec.distribution == WorkDistribution::lognormal) {
      auto cv = w.number("cv", true, Range::positive(100));
      if (!cv)
        return std::nullopt;
      spec.cv = *cv;
    } else if (w.has("cv")) {
      w.error("cv", "applies to the lognormal distribution only");
      return std::nullopt;
    }
    if (!mean || (w.has("distribution") && !dist))
      return std::nullopt;
    spec.mean = *mean;
    return spec;
  }

  std::optional<Modulation> read_modulation(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"kind", "period", "amplitude", "phase", "factor", "mean_on", "mean_off"});
    if (!r.ok())
      return std::nullopt;
    auto kind = r.choice("kind", true, {"diurnal", "bursts"});
    if (!kind)
      return std::nullopt;
    Modulation m;
    auto reject = [&](std::initializer_list<const char*> keys) {
      bool ok = true;
      for (const char* k : keys)
        if (r.has(k)) {
          r.error(k, "does not apply to \"" + *kind + "\" modulation");
          ok = false;
        }
      return ok;
    };
    if (*kind == "diurnal") {
      m.kind         = Modulation::Kind::diurnal;
      auto period    = r.quantity("period", Quantity::time, true, Range::positive(limits::max_duration));
      auto amplitude = r.number("amplitude", true, Range::closed(0.0, 1.0));
      auto phase     = r.quantity("phase", Quantity::time, false, Range::non_negative(limits::max_duration));
      if (!reject({"factor", "mean_on", "mean_off"}) || !period || !amplitude || (r.has("phase") && !phase))
        return std::nullopt;
      m.period    = *period;
      m.amplitude = *amplitude;
      m.phase     = phase.value_or(0.0);
    } else {
      m.kind        = Modulation::Kind::bursts;
      auto factor   = r.number("factor", true, Range{1.0, 1e6, true, true});
      auto mean_on  = r.quantity("mean_on", Quantity::time, true, Range::positive(limits::max_duration));
      auto mean_off = r.quantity("mean_off", Quantity::time, true, Range::positive(limits::max_duration));
      if (!reject({"period", "amplitude", "phase"}) || !factor || !mean_on || !mean_off)
        return std::nullopt;
      m.factor   = *factor;
      m.mean_on  = *mean_on;
      m.mean_off = *mean_off;
    }
    return m;
  }

  // A quantum circuit job, checked against the QPU's device.
  std::optional<Circuit> read_circuit(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_,
                   {"qubits", "layers", "two_qubit_gates", "one_qubit_gates", "shots", "circuits"});
    if (!r.ok())
      return std::nullopt;
    auto qubits   = r.integer("qubits", true, 1, 1000000);
    auto layers   = r.integer("layers", true, 1, 100000000);
    auto two      = r.integer("two_qubit_gates", false, 0, std::numeric_limits<int64_t>::max());
    auto one      = r.integer("one_qubit_gates", false, 0, std::numeric_limits<int64_t>::max());
    auto shots    = r.integer("shots", true, 1, 1000000000);
    auto circuits = r.integer("circuits", false, 1, 100000000);
    if (!qubits || !layers || !shots || (r.has("two_qubit_gates") && !two) || (r.has("one_qubit_gates") && !one) ||
        (r.has("circuits") && !circuits))
      return std::nullopt;
    Circuit c;
    c.qubits          = static_cast<int>(*qubits);
    c.layers          = static_cast<int>(*layers);
    c.two_qubit_gates = two ? static_cast<uint64_t>(*two) : 0;
    if (one)
      c.one_qubit_gates = static_cast<uint64_t>(*one);
    c.shots           = static_cast<uint64_t>(*shots);
    c.circuits        = circuits ? static_cast<uint64_t>(*circuits) : 1;
    if (!platform_ok_)
      return c;
    const auto& device = scenario_.platform.qpu_spec.device;
    if (!scenario_.platform.qpu || !device) {
      diags_.add(pointer, "a circuit needs a QPU with a \"device\" (platform.qpu.device) to time it");
      return std::nullopt;
    }
    bool ok = true;
    if (c.qubits > device->qubits) {
      r.error("qubits", fmt::format("needs {} qubits but device '{}' has {}", c.qubits, device->name, device->qubits));
      ok = false;
    }
    if (c.shots > device->max_shots) {
      r.error("shots", fmt::format("{} shots exceed the {} per circuit that device '{}' allows", c.shots,
                                   device->max_shots, device->name));
      ok = false;
    }
    if (c.circuits > device->max_circuits) {
      r.error("circuits", fmt::format("{} circuits exceed the {} per job that device '{}' allows", c.circuits,
                                      device->max_circuits, device->name));
      ok = false;
    }
    if (!ok)
      return std::nullopt;
    return c;
  }

  // A variational loop (VQE/QAOA style) written compactly: each iteration optimises classically,
  // then runs a batch of circuits on the QPU; expanded into a chain of tasks.
  void read_variational(const ObjectReader& r)
  {
    if (r.has("tasks")) {
      r.error("tasks", "give either \"tasks\" or \"variational\", which makes the tasks itself");
      return;
    }
    auto name = r.string("name", true);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid DAG name: " + identifier_rule);
      name.reset();
    }
    if (name)
      declared_dags_.push_back(*name);
    auto deadline = r.quantity("deadline", Quantity::time, false, Range::positive(limits::max_duration));
    const Json* v = r.object("variational", true);
    if (!v)
      return;
    ObjectReader vr(*v, r.pointer_of("variational"), diags_,
                    {"iterations", "classical", "circuit", "bytes", "tier", "until"});
    auto iterations = vr.integer("iterations", true, 1, 100000);
    auto classical  = read_work(vr, "classical", true);
    std::optional<Circuit> circuit;
    if (const Json* c = vr.object("circuit", true))
      circuit = read_circuit(*c, vr.pointer_of("circuit"));
    auto bytes = vr.quantity("bytes", Quantity::size, false, Range::non_negative(1e15));
    auto tier  = vr.choice("tier", false, {"any", "edge", "cloud"});
    std::optional<DagTemplate::Convergence> until;
    if (const Json* u = vr.object("until", false)) {
      ObjectReader ur(*u, vr.pointer_of("until"), diags_, {"min_iterations", "probability"});
      auto min_it = ur.integer("min_iterations", false, 1, 100000);
      auto prob   = ur.number("probability", true, Range{0.0, 1.0, false, true});
      if (prob && (!ur.has("min_iterations") || min_it))
        until = DagTemplate::Convergence{static_cast<int>(min_it.value_or(1)), *prob};
      else
        return;
    }
    if (!name || !iterations || !classical || !circuit || (vr.has("bytes") && !bytes) || (vr.has("tier") && !tier) ||
        (r.has("deadline") && !deadline) || !scenario_.platform.qpu)
      return;
    DagTemplate dag;
    dag.name        = *name;
    dag.deadline    = deadline;
    dag.convergence = until;
    dag.pointer     = r.pointer();
    const double message = bytes.value_or(0.0);
    for (int64_t i = 0; i < *iterations; ++i) {
      DagTask optimise;
      optimise.name         = fmt::format("optimise-{}", i);
      optimise.work         = *classical;
      optimise.output_bytes = message;
      if (tier && *tier != "any")
        optimise.tier = *tier == "edge" ? NodeKind::edge : NodeKind::cloud;
      optimise.pointer = vr.pointer_of("classical");
      DagTask sample;
      sample.name           = fmt::format("circuits-{}", i);
      sample.on_qpu         = true;
      sample.circuit        = circuit;
      sample.work           = WorkSpec{1.0, WorkDistribution::constant, 0.0};
      sample.output_bytes   = message;
      sample.converge_check = until && i + 1 >= until->min_iterations && i + 1 < *iterations;
      sample.pointer        = vr.pointer_of("circuit");
      const size_t base     = dag.tasks.size();
      if (base > 0)
        dag.edges.push_back({base - 1, base, message});
      dag.edges.push_back({base, base + 1, message});
      dag.tasks.push_back(std::move(optimise));
      dag.tasks.push_back(std::move(sample));
    }
    analyse_dag(dag);
    if (!claim_name("dag:" + dag.name, r.pointer()))
      return;
    scenario_.workload.dags.push_back(std::move(dag));
  }

  void read_dag(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"name", "deadline", "tasks", "variational"});
    if (!r.ok())
      return;
    if (r.has("variational")) {
      read_variational(r);
      return;
    }
    DagTemplate dag;
    dag.pointer = pointer;
    auto name   = r.string("name", true);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid DAG name: " + identifier_rule);
      name.reset();
    }
    if (name)
      declared_dags_.push_back(*name);  // a group naming it is not at fault if the DAG has errors
    auto deadline       = r.quantity("deadline", Quantity::time, false, Range::positive(limits::max_duration));
    const Json* tasks   = r.array("tasks", true);
    if (!name || !tasks || (r.has("deadline") && !deadline))
      return;
    dag.name     = *name;
    dag.deadline = deadline;
    const std::string tasks_pointer = r.pointer_of("tasks");
    // First pass: the tasks and their names, so that "after" may name any task of the DAG.
    std::vector<std::string> names;
    bool ok = true;
    for (size_t i = 0; i < tasks->size(); ++i) {
      ObjectReader t((*tasks)[i], join_pointer(tasks_pointer, i), diags_,
                     {"name", "flops", "output", "kind", "tier", "deadline", "after", "circuit"});
      if (!t.ok()) {
        ok = false;
        continue;
      }
      DagTask task;
      task.pointer   = t.pointer();
      auto task_name = t.string("name", true);
      if (task_name && !valid_identifier(*task_name)) {
        t.error("name", "'" + *task_name + "' is not a valid task name: " + identifier_rule);
        task_name.reset();
      }
      if (task_name && std::find(names.begin(), names.end(), *task_name) != names.end()) {
        t.error("name", "another task of this DAG is already named '" + *task_name + "'");
        task_name.reset();
      }
      auto kind   = t.choice("kind", false, {"cpu", "qpu", "offload"});
      std::optional<Circuit> circuit;
      if (const Json* c = t.object("circuit", false))
        circuit = read_circuit(*c, t.pointer_of("circuit"));
      const bool is_qpu     = kind && *kind == "qpu";
      const bool is_offload = kind && *kind == "offload";
      if (t.has("circuit") && !is_qpu && !is_offload)
        t.error("circuit", "a circuit runs on the QPU: give the task \"kind\": \"qpu\" or \"offload\"");
      if (is_offload && !t.has("circuit"))
        t.error("circuit", "required for \"offload\": the quantum alternative to the task's classical \"flops\"");
      // A circuit defines a QPU task's work; "flops" is the classical alternative of an offload.
      std::optional<WorkSpec> work;
      if (is_qpu && t.has("circuit")) {
        if (t.has("flops"))
          t.error("flops", "a QPU task with a \"circuit\" takes its time from the device model; remove \"flops\"");
        work = WorkSpec{1.0, WorkDistribution::constant, 0.0};
      } else {
        work = read_work(t, "flops", true);
      }
      auto output = t.quantity("output", Quantity::size, false, Range::non_negative(1e15));
      auto tier   = t.choice("tier", false, {"any", "edge", "cloud"});
      if (tier && kind && *kind == "qpu" && *tier != "any") {
        t.error("tier", "a QPU task runs on the quantum co-processor; \"tier\" applies to cpu tasks");
        tier.reset();
        ok = false;
      }
      auto task_deadline = t.quantity("deadline", Quantity::time, false, Range::positive(limits::max_duration));
      if (!task_name || !work || (t.has("output") && !output) || (t.has("kind") && !kind) ||
          (t.has("tier") && !tier) || (t.has("deadline") && !task_deadline) || (t.has("circuit") && !circuit) ||
          (is_offload && !circuit) || (t.has("circuit") && !is_qpu && !is_offload)) {
        ok = false;
        names.push_back("");
        dag.tasks.push_back(task);
        continue;
      }
      task.name         = *task_name;
      task.work         = *work;
      task.output_bytes = output.value_or(0.0);
      task.on_qpu       = is_qpu;
      task.offload      = is_offload;
      task.circuit      = circuit;
      if (tier && *tier != "any")
        task.tier = *tier == "edge" ? NodeKind::edge : NodeKind::cloud;
      task.deadline     = task_deadline;
      if ((task.on_qpu || task.offload) && !scenario_.platform.qpu && platform_ok_) {
        t.error("kind", "this task runs on the quantum co-processor, but the platform has no \"qpu\"");
        ok = false;
      }
      names.push_back(task.name);
      dag.tasks.push_back(task);
    }
    if (!ok)
      return;
    // Second pass: dependencies.
    for (size_t i = 0; i < tasks->size(); ++i) {
      const Json* after = (*tasks)[i].is_object() && (*tasks)[i].contains("after") ? &(*tasks)[i]["after"] : nullptr;
      if (!after)
        continue;
      const std::string after_pointer = join_pointer(join_pointer(tasks_pointer, i), "after");
      if (!after->is_array()) {
        diags_.add(after_pointer, "must be an array of task names, got " + type_name(*after));
        ok = false;
        continue;
      }
      for (size_t k = 0; k < after->size(); ++k) {
        const std::string dep_pointer = join_pointer(after_pointer, k);
        const Json& dep               = (*after)[k];
        std::optional<std::string> dep_name;
        std::optional<double> bytes;
        if (dep.is_string()) {
          dep_name = dep.get<std::string>();
        } else if (dep.is_object()) {
          ObjectReader d(dep, dep_pointer, diags_, {"task", "bytes"});
          dep_name = d.string("task", true);
          bytes    = d.quantity("bytes", Quantity::size, false, Range::non_negative(1e15));
          if (d.has("bytes") && !bytes)
            dep_name.reset();
        } else {
          diags_.add(dep_pointer, "must be a task name or {\"task\": name, \"bytes\": size}, got " + type_name(dep));
        }
        if (!dep_name) {
          ok = false;
          continue;
        }
        auto found = std::find(names.begin(), names.end(), *dep_name);
        if (found == names.end()) {
          std::string message   = "no task is named '" + *dep_name + "' in DAG '" + dag.name + "'";
          const auto suggestion = did_you_mean(*dep_name, names);
          if (!suggestion.empty())
            message += "; did you mean '" + suggestion + "'?";
          diags_.add(dep_pointer, message);
          ok = false;
          continue;
        }
        const size_t from = static_cast<size_t>(found - names.begin());
        if (from == i) {
          diags_.add(dep_pointer, "a task cannot depend on itself");
          ok = false;
          continue;
        }
        dag.edges.push_back({from, i, bytes.value_or(dag.tasks[from].output_bytes)});
      }
    }
    if (!ok)
      return;
    if (auto cycle = find_cycle(dag.tasks.size(), dag.edges)) {
      std::string path;
      for (size_t t : *cycle)
        path += (path.empty() ? "" : " -> ") + dag.tasks[t].name;
      r.error("tasks", "the tasks form a cycle: " + path);
      return;
    }
    analyse_dag(dag);
    if (!claim_name("dag:" + dag.name, pointer))
      return;
    scenario_.workload.dags.push_back(std::move(dag));
  }

  void read_job(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_,
                   {"name", "units", "flops_per_unit", "bytes_per_unit", "chunks", "sharing", "source", "nodes",
                    "start", "policy", "recovery", "printed"});
    if (!r.ok())
      return;
    BatchJob job;
    job.pointer  = pointer;
    job.policy   = default_policy_;
    job.recovery = scenario_.faults.recovery;
    bool recovery_ok = read_recovery_override(r, job.recovery, /*replicas_allowed=*/false, "batch jobs");
    auto name   = r.string("name", true);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid job name: " + identifier_rule);
      name.reset();
    }
    auto units  = r.number("units", true, Range::positive(1e18));
    auto fpu    = r.quantity("flops_per_unit", Quantity::work, true, Range::positive(1e21));
    auto bpu    = r.quantity("bytes_per_unit", Quantity::size, false, Range::non_negative(1e15));
    auto chunks = r.integer("chunks", false, 1, limits::max_chunks);
    auto start  = r.quantity("start", Quantity::time, false, Range::non_negative(limits::max_duration));
    if (const Json* sharing = r.object("sharing", false)) {
      ObjectReader s(*sharing, r.pointer_of("sharing"), diags_, {"rounds", "bytes"});
      if (auto rounds = s.integer("rounds", false, 0, limits::max_rounds))
        job.rounds = static_cast<int>(*rounds);
      if (auto bytes = s.quantity("bytes", Quantity::size, false, Range::non_negative(1e15)))
        job.round_bytes = *bytes;
    }
    if (const Json* policy = r.get("policy")) {
      if (auto spec = read_policy(*policy, r.pointer_of("policy")))
        job.policy = *spec;
    }
    if (const Json* printed = r.object("printed", false)) {
      ObjectReader p(*printed, r.pointer_of("printed"), diags_, {"value", "unit", "source"});
      auto v = p.number("value", true, Range{});
      auto u = p.string("unit", true);
      auto s = p.string("source", true);
      if (v && u && s)
        job.printed = PrintedFigure{*v, *u, *s};
    }
    if (!platform_ok_)
      return;  // names cannot be resolved against a platform that has errors of its own
    std::optional<std::vector<size_t>> nodes;
    if (const Json* list = r.array("nodes", false))
      nodes = resolve_nodes(*list, r.pointer_of("nodes"), std::nullopt);
    else if (!r.has("nodes")) {
      nodes.emplace(scenario_.platform.compute_node_count());
      std::iota(nodes->begin(), nodes->end(), size_t{0});
    }
    if (auto source = r.string("source", false)) {
      if (auto sites = resolve_site(*source, r.pointer_of("source"))) {
        if (sites->size() != 1)
          r.error("source", "names a replicated site; choose one replica, e.g. '" +
                                scenario_.platform.sites[sites->front()].name + "'");
        else
          job.source = sites->front();
      }
    } else if (nodes && !nodes->empty()) {
      job.source = scenario_.platform.nodes[nodes->front()].site;
    }
    if (!name || !units || !fpu || !nodes || (r.has("bytes_per_unit") && !bpu) || (r.has("chunks") && !chunks) ||
        (r.has("start") && !start) || !recovery_ok)
      return;
    if (!claim_name("job:" + *name, pointer))
      return;
    job.name           = *name;
    job.units          = *units;
    job.flops_per_unit = *fpu;
    job.bytes_per_unit = bpu ? *bpu : 0.0;
    job.start          = start ? *start : 0.0;
    job.nodes          = *nodes;
    if (chunks) {
      job.chunks = static_cast<uint64_t>(*chunks);
    } else {
      uint64_t cores = 0;
      for (size_t n : job.nodes)
        cores += static_cast<uint64_t>(scenario_.platform.nodes[n].cores);
      job.chunks = std::min<uint64_t>(cores, static_cast<uint64_t>(limits::max_chunks));
    }
    if (job.flops_per_unit * job.units > 1e30) {
      r.error("units", "units x flops_per_unit exceeds 1e30 flop; check the orders of magnitude");
      return;
    }
    scenario_.workload.jobs.push_back(std::move(job));
  }

  void read_group(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_,
                   {"name", "site", "sensors", "arrival", "period", "rate", "jitter", "modulation", "flops", "bytes",
                    "job", "deadline", "targets", "policy", "recovery", "micro_batch", "privacy"});
    if (!r.ok())
      return;
    auto name = r.string("name", true);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid group name: " + identifier_rule);
      name.reset();
    }
    auto site_name = r.string("site", true);
    auto sensors   = r.integer("sensors", true, 1, limits::max_sensors);
    ArrivalKind arrival = ArrivalKind::periodic;
    if (auto a = r.choice("arrival", false, {"periodic", "poisson"}))
      arrival = *a == "periodic" ? ArrivalKind::periodic : ArrivalKind::poisson;
    std::optional<double> period;
    if (r.has("period") && r.has("rate")) {
      r.error("rate", "give either \"period\" (time between readings of one sensor) or \"rate\" (readings per "
                      "second of one sensor), not both");
    } else if (r.has("rate")) {
      if (auto rate = r.number("rate", true, Range::positive(1e9)))
        period = 1.0 / *rate;
    } else if (r.has("period")) {
      period = r.quantity("period", Quantity::time, true, Range::positive(limits::max_duration));
    } else {
      r.error("period", "required: give \"period\" (e.g. \"60s\") or \"rate\" (readings per second per sensor)");
    }
    double jitter  = 0.0;
    bool jitter_ok = true;
    if (r.has("jitter")) {
      const auto value = r.number("jitter", true, Range::closed(0.0, 1.0));
      jitter_ok        = value.has_value();
      if (value && arrival != ArrivalKind::periodic) {
        r.error("jitter", "applies to periodic arrivals only; Poisson arrivals are random already");
        jitter_ok = false;
      }
      jitter = value.value_or(0.0);
    }
    Modulation modulation;
    bool modulation_ok = true;
    if (const Json* m = r.object("modulation", false)) {
      if (arrival != ArrivalKind::poisson) {
        r.error("modulation", "applies to \"arrival\": \"poisson\" only");
        modulation_ok = false;
      } else if (auto parsed = read_modulation(*m, r.pointer_of("modulation"))) {
        modulation = *parsed;
      } else {
        modulation_ok = false;
      }
    } else if (r.has("modulation")) {
      modulation_ok = false;
    }
    std::optional<size_t> dag;
    bool job_ok = true;
    if (auto job = r.string("job", false)) {
      const auto& dags = scenario_.workload.dags;
      auto found = std::find_if(dags.begin(), dags.end(), [&](const DagTemplate& d) { return d.name == *job; });
      const bool declared =
          std::find(declared_dags_.begin(), declared_dags_.end(), *job) != declared_dags_.end();
      if (found == dags.end() && declared) {
        job_ok = false;  // the DAG itself has errors, reported at its own pointer
      } else if (found == dags.end()) {
        std::vector<std::string> known;
        for (const auto& d : dags)
          known.push_back(d.name);
        std::string message   = "no DAG in \"dags\" is named '" + *job + "'";
        const auto suggestion = did_you_mean(*job, known);
        if (!suggestion.empty())
          message += "; did you mean '" + suggestion + "'?";
        r.error("job", message);
        job_ok = false;
      } else {
        dag = static_cast<size_t>(found - dags.begin());
      }
      if (r.has("flops")) {
        r.error("flops", "the work of each job comes from its DAG's tasks; remove \"flops\" or \"job\"");
        job_ok = false;
      }
      if (r.has("micro_batch")) {
        r.error("micro_batch", "applies to single-reading tasks, not to DAG jobs");
        job_ok = false;
      }
    } else if (r.has("job")) {
      job_ok = false;
    }
    std::optional<WorkSpec> work;
    if (!r.has("job"))
      work = read_work(r, "flops", true);
    auto bytes    = r.quantity("bytes", Quantity::size, false, Range::non_negative(1e15));
    auto deadline = r.quantity("deadline", Quantity::time, false, Range::positive(limits::max_duration));
    PolicySpec policy = default_policy_;
    if (const Json* p = r.get("policy")) {
      if (auto spec = read_policy(*p, r.pointer_of("policy")))
        policy = *spec;
    }
    RecoverySpec recovery = scenario_.faults.recovery;
    const bool recovery_ok =
        read_recovery_override(r, recovery, /*replicas_allowed=*/!r.has("job"), "DAG jobs");
    std::optional<MicroBatch> batch;
    if (const Json* mb = r.object("micro_batch", false)) {
      ObjectReader m(*mb, r.pointer_of("micro_batch"), diags_, {"size", "max_wait"});
      auto size     = m.integer("size", true, 1, 1000000);
      auto max_wait = m.quantity("max_wait", Quantity::time, true, Range::positive(limits::max_duration));
      if (size && max_wait)
        batch = MicroBatch{static_cast<uint64_t>(*size), *max_wait};
    }
    const Json* targets = r.array("targets", false);
    if (!platform_ok_)
      return;  // names cannot be resolved against a platform that has errors of its own
    if (!name || !site_name || !sensors || !period || !job_ok || (!dag && !work) || (r.has("bytes") && !bytes) ||
        !jitter_ok || !modulation_ok || (r.has("deadline") && !deadline) || (r.has("micro_batch") && !batch) ||
        (r.has("targets") && !targets) || !recovery_ok)
      return;
    PrivacySpec privacy;
    if (const Json* p = r.object("privacy", false)) {
      auto parsed = read_group_privacy(r, *p, *name, policy, work, bytes, deadline, dag);
      if (!parsed)
        return;
      privacy = std::move(*parsed);
    } else if (r.has("privacy")) {
      return;
    }
    auto sites = resolve_site(*site_name, r.pointer_of("site"));
    if (!sites)
      return;
    for (size_t site : *sites) {
      SensorGroup g;
      g.privacy     = privacy;
      g.name        = scenario_.platform.sites[site].name + "." + *name;
      g.site        = site;
      g.sensors     = static_cast<uint64_t>(*sensors);
      g.arrival     = arrival;
      g.period      = *period;
      g.jitter      = jitter;
      g.modulation  = modulation;
      g.work        = work.value_or(WorkSpec{});
      g.bytes       = bytes.value_or(0.0);
      g.dag         = dag;
      g.deadline    = deadline ? deadline : (dag ? scenario_.workload.dags[*dag].deadline : std::nullopt);
      g.policy      = policy;
      g.recovery    = recovery;
      g.micro_batch = batch;
      g.pointer     = pointer;
      if (!privacy.mpc_parties.empty()) {
        std::set<size_t> all;
        for (const auto& party : privacy.mpc_parties)
          all.insert(party.begin(), party.end());
        g.targets.assign(all.begin(), all.end());
      } else if (targets) {
        auto resolved = resolve_nodes(*targets, r.pointer_of("targets"), site);
        if (!resolved)
          return;
        g.targets = *resolved;
      } else if (!scenario_.platform.sites[site].nodes.empty()) {
        g.targets = scenario_.platform.sites[site].nodes;
      } else {
        r.error("targets", "required here: site '" + scenario_.platform.sites[site].name +
                               "' has no compute nodes, so name the sites or nodes that process these readings");
        return;
      }
      if (g.dag && !tiers_available(scenario_.workload.dags[*g.dag], g.targets, r))
        return;
      if (!claim_name("group:" + g.name, pointer))
        return;
      scenario_.workload.groups.push_back(std::move(g));
    }
  }

  // A group's "privacy": parses it and applies what it does to every reading. Differential privacy
  // adds the noise's flop; homomorphic encryption multiplies bytes by the expansion and flop by the
  // slowdown; MPC turns each reading into a job of a DAG made here, one task per party and round.
  std::optional<PrivacySpec> read_group_privacy(const ObjectReader& r, const Json& value, const std::string& name,
                                                const PolicySpec& policy,
                                                std::optional<WorkSpec>& work, std::optional<double>& bytes,
                                                const std::optional<double>& deadline, std::optional<size_t>& dag)
  {
    auto privacy = read_privacy(value, r.pointer_of("privacy"), diags_, PrivacyHost::sensor_group,
                                [this](const Json& party, const std::string& pointer) {
                                  if (!party.is_string()) {
                                    diags_.add(pointer, "must be a site or node name, got " + type_name(party));
                                    return std::optional<std::vector<size_t>>{};
                                  }
                                  return resolve_name(party, pointer);
                                });
    if (!privacy)
      return std::nullopt;
    if (r.has("job") || !work) {
      r.error("privacy", "applies to groups whose readings are single tasks (\"flops\"), not to DAG jobs");
      return std::nullopt;
    }
    privacy->plain_flops = work->mean;
    privacy->plain_bytes = bytes.value_or(0.0);
    if (privacy->dp)
      work->mean += privacy->dp->mechanism.flops();
    if (privacy->he) {
      work->mean *= privacy->he->slowdown;
      bytes = bytes.value_or(0.0) * privacy->he->expansion;
    }
    if (!privacy->mpc)
      return privacy;
    for (const char* key : {"targets", "micro_batch"})
      if (r.has(key)) {
        r.error(key, std::string("does not apply with \"mpc\": each reading runs on the parties' nodes, as a job of "
                                 "one task per party and round"));
        return std::nullopt;
      }
    if (policy.kind == PolicyKind::heft) {
      r.error("policy", "heft plans a whole DAG itself; with \"mpc\" every task is bound to its party's nodes");
      return std::nullopt;
    }
    const MpcParams& p = *privacy->mpc;
    const MpcCost cost = mpc_cost(p, bytes.value_or(0.0), work->mean);
    DagTemplate mpc;
    mpc.name     = "mpc-" + name;
    mpc.deadline = deadline;
    mpc.pointer  = r.pointer_of("privacy");
    const size_t parties = static_cast<size_t>(p.parties);
    const size_t layers  = static_cast<size_t>(p.depth) + 1;
    auto index           = [&](size_t party, size_t layer) { return layer * parties + party; };
    for (size_t layer = 0; layer < layers; ++layer) {
      for (size_t party = 0; party < parties; ++party) {
        DagTask t;
        t.name    = fmt::format("party{}-step{}", party, layer);
        t.work    = *work;
        t.work.mean = cost.party_flops / static_cast<double>(layers);
        t.party   = party;
        t.pointer = r.pointer_of("privacy");
        mpc.tasks.push_back(std::move(t));
        if (layer == 0)
          continue;
        for (size_t from = 0; from < parties; ++from)
          mpc.edges.push_back({index(from, layer - 1), index(party, layer), from == party ? 0.0 : cost.opening_bytes});
      }
    }
    DagTask reveal;
    reveal.name    = "reveal";
    reveal.work    = WorkSpec{static_cast<double>(parties) * std::max(1.0, p.output_bytes / p.element_bytes),
                           WorkDistribution::constant, 0.0};
    reveal.party   = 0;
    reveal.pointer = r.pointer_of("privacy");
    const size_t last = mpc.tasks.size();
    mpc.tasks.push_back(std::move(reveal));
    for (size_t party = 0; party < parties; ++party)
      mpc.edges.push_back({index(party, layers - 1), last, party == 0 ? 0.0 : p.output_bytes});
    analyse_dag(mpc);
    if (!claim_name("dag:" + mpc.name, r.pointer_of("privacy")))
      return std::nullopt;
    dag = scenario_.workload.dags.size();
    scenario_.workload.dags.push_back(std::move(mpc));
    return privacy;
  }

  std::optional<RecoverySpec> read_recovery(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"strategy", "max_attempts", "backoff", "copies", "interval", "cost"});
    if (!r.ok())
      return std::nullopt;
    auto strategy = r.choice("strategy", true, {"none", "retry", "replicate", "checkpoint"});
    if (!strategy)
      return std::nullopt;
    RecoverySpec spec;
    spec.strategy = *strategy == "none"        ? RecoveryStrategy::none
                    : *strategy == "retry"     ? RecoveryStrategy::retry
                    : *strategy == "replicate" ? RecoveryStrategy::replicate
                                               : RecoveryStrategy::checkpoint;
    // Each strategy takes its own keys; others are mistakes, not silently ignored.
    const std::vector<std::string> allowed =
        spec.strategy == RecoveryStrategy::none        ? std::vector<std::string>{}
        : spec.strategy == RecoveryStrategy::retry     ? std::vector<std::string>{"max_attempts", "backoff"}
        : spec.strategy == RecoveryStrategy::replicate ? std::vector<std::string>{"copies"}
                                                       : std::vector<std::string>{"max_attempts", "backoff", "interval", "cost"};
    bool ok = true;
    for (const char* key : {"max_attempts", "backoff", "copies", "interval", "cost"}) {
      if (r.has(key) && std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        r.error(key, "does not apply to the \"" + *strategy + "\" strategy");
        ok = false;
      }
    }
    if (auto attempts = r.integer("max_attempts", false, 1, 100))
      spec.max_attempts = static_cast<int>(*attempts);
    else if (r.has("max_attempts"))
      ok = false;
    if (auto backoff = r.quantity("backoff", Quantity::time, false, Range::non_negative(limits::max_duration)))
      spec.backoff = *backoff;
    else if (r.has("backoff"))
      ok = false;
    if (auto copies = r.integer("copies", false, 2, 16))
      spec.copies = static_cast<int>(*copies);
    else if (r.has("copies"))
      ok = false;
    if (auto interval = r.quantity("interval", Quantity::time, false, Range::positive(limits::max_duration)))
      spec.interval = *interval;
    else if (r.has("interval"))
      ok = false;
    if (auto cost = r.quantity("cost", Quantity::time, false, Range::non_negative(limits::max_duration)))
      spec.cost = *cost;
    else if (r.has("cost"))
      ok = false;
    if (!ok)
      return std::nullopt;
    return spec;
  }

  // A group's or job's own "recovery", which needs a "faults" section.
  bool read_recovery_override(const ObjectReader& r, RecoverySpec& recovery, bool replicas_allowed, const char* what)
  {
    const Json* value = r.get("recovery");
    if (!value) {
      if (recovery.strategy == RecoveryStrategy::replicate && !replicas_allowed) {
        diags_.add(r.pointer(), std::string("the default recovery \"replicate\" does not apply to ") + what +
                                    "; give this one its own \"recovery\"");
        return false;
      }
      return true;
    }
    if (!scenario_.faults.enabled) {
      r.error("recovery", "applies when the scenario has a \"faults\" section");
      return false;
    }
    auto spec = read_recovery(*value, r.pointer_of("recovery"));
    if (!spec)
      return false;
    if (spec->strategy == RecoveryStrategy::replicate && !replicas_allowed) {
      r.error("recovery", std::string("\"replicate\" applies to sensor readings, not to ") + what);
      return false;
    }
    recovery = *spec;
    return true;
  }

  // A fault target by name: a node, a node's access link ("<node>.link"), a backbone link or a site.
  std::optional<std::vector<FaultTarget>> resolve_fault_target(const std::string& name, const std::string& pointer,
                                                               bool each_node)
  {
    const Platform& p = scenario_.platform;
    std::vector<FaultTarget> out;
    if (auto it = site_names_.find(name); it != site_names_.end()) {
      for (size_t s : it->second) {
        if (!each_node) {
          out.push_back({FaultTarget::Kind::site, s, p.sites[s].name});
          continue;
        }
        for (size_t n = 0; n < p.nodes.size(); ++n)
          if (p.nodes[n].site == s)
            out.push_back({FaultTarget::Kind::node, n, p.nodes[n].name});
      }
      return out;
    }
    for (size_t n = 0; n < p.nodes.size(); ++n) {
      if (p.nodes[n].name == name)
        return std::vector<FaultTarget>{{FaultTarget::Kind::node, n, name}};
      if (p.nodes[n].name + ".link" == name && !p.routes)
        return std::vector<FaultTarget>{{FaultTarget::Kind::access_link, n, name}};
    }
    if (auto it = node_names_.find(name); it != node_names_.end()) {
      for (size_t n : it->second)
        out.push_back({FaultTarget::Kind::node, n, p.nodes[n].name});
      return out;
    }
    for (size_t l = 0; l < p.links.size(); ++l)
      if (p.links[l].name == name)
        return std::vector<FaultTarget>{{FaultTarget::Kind::backbone_link, l, name}};
    std::vector<std::string> known;
    for (const auto& [n, _] : site_names_)
      known.push_back(n);
    for (const auto& node : p.nodes)
      known.push_back(node.name);
    for (const auto& l : p.links)
      known.push_back(l.name);
    std::string message   = "no node, link or site is named '" + name + "'";
    const auto suggestion = did_you_mean(name, known);
    if (!suggestion.empty())
      message += "; did you mean '" + suggestion + "'?";
    diags_.add(pointer, message);
    return std::nullopt;
  }

  void read_faults(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"detection", "recovery", "events", "random"});
    if (!r.ok())
      return;
    FaultPlan& plan = scenario_.faults;
    plan.enabled    = true;
    if (const Json* d = r.object("detection", false)) {
      ObjectReader dr(*d, r.pointer_of("detection"), diags_, {"heartbeat", "timeout"});
      auto period  = dr.quantity("heartbeat", Quantity::time, false, Range::positive(limits::max_duration));
      auto timeout = dr.quantity("timeout", Quantity::time, false, Range::positive(limits::max_duration));
      plan.detection.period  = period.value_or(plan.detection.period);
      plan.detection.timeout = timeout.value_or(plan.detection.timeout);
      if (plan.detection.timeout <= plan.detection.period)
        dr.error("timeout", fmt::format("must exceed the heartbeat period ({} s), or every node would look down "
                                        "between two heartbeats; got {} s",
                                        plan.detection.period, plan.detection.timeout));
    }
    if (const Json* rec = r.get("recovery")) {
      if (auto spec = read_recovery(*rec, r.pointer_of("recovery")))
        plan.recovery = *spec;
    }
    if (!platform_ok_)
      return;  // targets name platform elements
    if (const Json* events = r.array("events", false, true)) {
      for (size_t i = 0; i < events->size(); ++i) {
        const std::string ep = join_pointer(r.pointer_of("events"), i);
        ObjectReader e((*events)[i], ep, diags_, {"target", "down", "up"});
        auto target = e.string("target", true);
        auto down   = e.quantity("down", Quantity::time, true, Range::non_negative(limits::max_duration));
        auto up     = e.quantity("up", Quantity::time, false, Range::non_negative(limits::max_duration));
        if (down && up && *up <= *down) {
          e.error("up", fmt::format("the failure ends before it starts: up at {} s, down at {} s", *up, *down));
          continue;
        }
        if (!target || !down || (e.has("up") && !up))
          continue;
        auto targets = resolve_fault_target(*target, e.pointer_of("target"), false);
        if (!targets)
          continue;
        for (const auto& t : *targets)
          plan.events.push_back({t, *down, up, ep});
      }
    }
    if (const Json* random = r.array("random", false, true)) {
      for (size_t i = 0; i < random->size(); ++i) {
        const std::string rp = join_pointer(r.pointer_of("random"), i);
        ObjectReader f((*random)[i], rp, diags_, {"targets", "each", "mtbf", "mttr", "distribution", "shape"});
        RandomFaults rf;
        rf.pointer = rp;
        auto mtbf  = f.quantity("mtbf", Quantity::time, true, Range::positive(limits::max_duration));
        auto mttr  = f.quantity("mttr", Quantity::time, true, Range::positive(limits::max_duration));
        auto dist  = f.choice("distribution", false, {"exponential", "weibull"});
        auto each  = f.choice("each", false, {"target", "node"});
        rf.distribution = dist && *dist == "weibull" ? FailureDistribution::weibull : FailureDistribution::exponential;
        if (f.has("shape")) {
          if (rf.distribution != FailureDistribution::weibull) {
            f.error("shape", "applies to the weibull distribution only");
            continue;
          }
          auto shape = f.number("shape", true, Range{0.1, 20, true, true});
          if (!shape)
            continue;
          rf.shape = *shape;
        }
        const Json* targets = f.array("targets", true);
        if (!mtbf || !mttr || !targets || (f.has("distribution") && !dist) || (f.has("each") && !each))
          continue;
        rf.mtbf = *mtbf;
        rf.mttr = *mttr;
        bool ok = true;
        for (size_t k = 0; k < targets->size(); ++k) {
          const std::string tp = join_pointer(f.pointer_of("targets"), k);
          if (!(*targets)[k].is_string()) {
            diags_.add(tp, "must be a node, link or site name, got " + type_name((*targets)[k]));
            ok = false;
            continue;
          }
          auto resolved = resolve_fault_target((*targets)[k].get<std::string>(), tp, each && *each == "node");
          if (!resolved) {
            ok = false;
            continue;
          }
          rf.targets.insert(rf.targets.end(), resolved->begin(), resolved->end());
        }
        if (ok)
          plan.random.push_back(std::move(rf));
      }
    }
  }

  // Every tier a DAG's tasks ask for must be among the group's targets.
  bool tiers_available(const DagTemplate& dag, const std::vector<size_t>& targets, const ObjectReader& r)
  {
    for (const auto& task : dag.tasks) {
      if (!task.tier)
        continue;
      const bool found = std::any_of(targets.begin(), targets.end(), [&](size_t n) {
        return scenario_.platform.nodes[n].kind == *task.tier;
      });
      if (!found) {
        r.error(r.has("targets") ? "targets" : "site",
                "task '" + task.name + "' of DAG '" + dag.name + "' needs a " + to_string(*task.tier) +
                    " node, and none of this group's targets is one");
        return false;
      }
    }
    return true;
  }

  void read_expect(const Json& value, const std::string& pointer)
  {
    for (const auto& item : value.items()) {
      const std::string item_pointer = join_pointer(pointer, item.key());
      if (item.key().empty() || item.key()[0] != '/') {
        diags_.add(item_pointer, "an expectation is keyed by a JSON pointer into summary.json, such as "
                                 "\"/metrics/latency_s/p99\"");
        continue;
      }
      ObjectReader r(item.value(), item_pointer, diags_, {"min", "max", "equals", "why"});
      if (!r.ok())
        continue;
      Expectation e;
      e.metric  = item.key();
      e.pointer = item_pointer;
      e.min     = r.number("min", false, Range{});
      e.max     = r.number("max", false, Range{});
      if (const Json* eq = r.get("equals")) {
        if (eq->is_object() || eq->is_array() || eq->is_null())
          r.error("equals", "must be a number, a string or a boolean");
        else
          e.equals = *eq;
      }
      if (auto why = r.string("why", false))
        e.why = *why;
      if (!e.min && !e.max && !e.equals && !r.has("min") && !r.has("max") && !r.has("equals")) {
        diags_.add(item_pointer, "needs at least one of \"min\", \"max\" or \"equals\"");
        continue;
      }
      if (e.min && e.max && *e.min > *e.max) {
        r.error("max", fmt::format("is below \"min\" ({} > {})", *e.min, *e.max));
        continue;
      }
      scenario_.expect.push_back(std::move(e));
    }
  }

  void read_prices(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"currency", "energy_per_kWh", "egress_per_GB"});
    Prices& p = scenario_.prices;
    if (auto currency = r.string("currency", false)) {
      if (currency->empty() || currency->size() > 16)
        r.error("currency", "give a short currency name such as \"USD\" or \"EUR\"");
      else
        p.currency = *currency;
    }
    if (auto energy = r.number("energy_per_kWh", false, Range::non_negative(1e6)))
      p.energy_per_kWh = *energy;
    if (auto egress = r.number("egress_per_GB", false, Range::non_negative(1e6)))
      p.egress_per_GB = *egress;
  }

  void read_output(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"timeline_interval", "max_task_rows"});
    if (auto interval = r.quantity("timeline_interval", Quantity::time, false, Range::positive(limits::max_duration)))
      scenario_.output.timeline_interval = *interval;
    if (auto rows = r.integer("max_task_rows", false, 0, 100000000))
      scenario_.output.max_task_rows = static_cast<uint64_t>(*rows);
  }

  // Refuses runs whose task count alone would exhaust memory or time, before anything starts.
  void check_size()
  {
    if (!diags_.empty())
      return;
    double tasks   = 0;
    double sensors = 0;
    const Workload& w = scenario_.workload;
    for (const auto& job : w.jobs)
      tasks += static_cast<double>(job.chunks) * (job.rounds + 1);
    for (const auto& f : w.federated)
      tasks += expected_federated_tasks(f);
    for (const auto& g : w.groups) {
      tasks += expected_group_tasks(w.duration, g) * (g.dag ? static_cast<double>(w.dags[*g.dag].tasks.size()) : 1.0);
      sensors += static_cast<double>(g.sensors);
    }
    if (tasks > limits::max_tasks)
      diags_.add("/workload", fmt::format("this workload would simulate about {:.3g} tasks, more than the limit of "
                                          "{:.3g}; shorten the duration, lower the rates or use micro_batch",
                                          tasks, limits::max_tasks));
    if (sensors > static_cast<double>(limits::max_sensors))
      diags_.add("/workload/groups", fmt::format("{:.3g} sensors in all exceeds the limit of {}", sensors,
                                                 limits::max_sensors));

    // What a run allocates before its first event, or accumulates at a rate the scenario sets.
    int64_t cores = 0;
    for (const auto& n : scenario_.platform.nodes)
      cores += n.cores;
    if (cores > limits::max_total_cores)
      diags_.add("/platform", fmt::format("the platform would have {} cores, more than the limit of {} (every core "
                                          "is a simulated process with a stack of its own)",
                                          cores, limits::max_total_cores));
    if (!w.has_streams())
      return;
    const double interval = scenario_.output.timeline_interval;
    if (interval > 0 && w.duration / interval > limits::max_timeline_rows)
      diags_.add("/output/timeline_interval",
                 fmt::format("would sample the timeline {:.3g} times over the {} s of arrivals, more than the limit of "
                             "{:.3g}; choose a longer interval",
                             w.duration / interval, w.duration, limits::max_timeline_rows));
    if (scenario_.faults.enabled) {
      const double heartbeats =
          static_cast<double>(scenario_.platform.nodes.size()) * w.duration / scenario_.faults.detection.period;
      if (heartbeats > limits::max_heartbeats)
        diags_.add("/faults/detection/heartbeat",
                   fmt::format("the nodes would send about {:.3g} heartbeats over the {} s of arrivals, more than the "
                               "limit of {:.3g}; choose a longer period",
                               heartbeats, w.duration, limits::max_heartbeats));
    }
  }
};

}  // namespace

Scenario parse_scenario(const Json& document, const std::string& file, const PlatformLoader& loader)
{
  return ScenarioParser(document, file, loader).parse();
}

}  // namespace leptonsim::models
