// Chapter 01 practice: reference solution.
#include "tasks.hpp"  // found through the practice folder, so this file also works copied there

#include <regex>

namespace ch01 {

std::vector<std::string> utf8_split(std::string_view text) {
  std::vector<std::string> characters;
  for (size_t at = 0; at < text.size();) {
    const unsigned char lead = static_cast<unsigned char>(text[at]);
    const size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;  // 0xxx, 1111 0xxx, 1110 xxxx, 110x xxxx
    characters.emplace_back(text.substr(at, length));
    at += length;
  }
  return characters;
}

std::map<Pair, int> count_pairs(const std::vector<int>& ids) {
  std::map<Pair, int> counts;
  for (size_t i = 0; i + 1 < ids.size(); ++i) ++counts[{ids[i], ids[i + 1]}];
  return counts;
}

std::vector<int> merge_pair(const std::vector<int>& ids, Pair pair, int new_id) {
  std::vector<int> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size();) {
    if (i + 1 < ids.size() && ids[i] == pair.first && ids[i + 1] == pair.second) {
      out.push_back(new_id);
      i += 2;
    } else {
      out.push_back(ids[i]);
      i += 1;
    }
  }
  return out;
}

namespace {
std::vector<int> bytes_of(std::string_view text) {
  std::vector<int> ids;
  for (unsigned char byte : text) ids.push_back(byte);
  return ids;
}
}  // namespace

std::vector<Pair> train_basic_bpe(std::string_view text, int num_merges) {
  std::vector<int> ids = bytes_of(text);
  std::vector<Pair> merges;
  for (int m = 0; m < num_merges; ++m) {
    const std::map<Pair, int> counts = count_pairs(ids);
    if (counts.empty()) break;
    auto best = counts.begin();
    for (auto it = counts.begin(); it != counts.end(); ++it)
      if (it->second > best->second) best = it;  // strictly greater: the smallest pair wins ties
    ids = merge_pair(ids, best->first, 256 + static_cast<int>(merges.size()));
    merges.push_back(best->first);
  }
  return merges;
}

std::vector<int> encode_basic(std::string_view text, const std::vector<Pair>& merges) {
  std::map<Pair, int> rank;
  for (size_t i = 0; i < merges.size(); ++i) rank.emplace(merges[i], static_cast<int>(i));
  std::vector<int> ids = bytes_of(text);
  while (ids.size() >= 2) {
    int best = -1;
    for (size_t i = 0; i + 1 < ids.size(); ++i) {
      auto it = rank.find({ids[i], ids[i + 1]});
      if (it != rank.end() && (best < 0 || it->second < best)) best = it->second;
    }
    if (best < 0) break;
    ids = merge_pair(ids, merges[best], 256 + best);
  }
  return ids;
}

std::string decode_basic(const std::vector<int>& ids, const std::vector<Pair>& merges) {
  std::vector<std::string> bytes(256);
  for (int b = 0; b < 256; ++b) bytes[b] = std::string(1, static_cast<char>(b));
  for (const Pair& m : merges) bytes.push_back(bytes[m.first] + bytes[m.second]);
  std::string text;
  for (int id : ids) text += bytes.at(id);
  return text;
}

std::vector<std::string> regex_split(const std::string& text) {
  static const std::regex pattern(R"('s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+)");
  std::vector<std::string> pieces;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it)
    pieces.push_back(it->str());
  return pieces;
}

std::vector<int> encode_chunks(const std::string& text, const std::vector<Pair>& merges) {
  std::vector<int> ids;
  for (const std::string& piece : regex_split(text)) {
    const std::vector<int> piece_ids = encode_basic(piece, merges);
    ids.insert(ids.end(), piece_ids.begin(), piece_ids.end());
  }
  return ids;
}

std::vector<Pair> train_regex_bpe(const std::string& text, int num_merges) {
  std::vector<std::vector<int>> pieces;
  for (const std::string& piece : regex_split(text)) pieces.push_back(bytes_of(piece));
  std::vector<Pair> merges;
  for (int m = 0; m < num_merges; ++m) {
    std::map<Pair, int> counts;
    for (const std::vector<int>& piece : pieces)
      for (const auto& [pair, count] : count_pairs(piece)) counts[pair] += count;
    if (counts.empty()) break;
    auto best = counts.begin();
    for (auto it = counts.begin(); it != counts.end(); ++it)
      if (it->second > best->second) best = it;  // strictly greater: the smallest pair wins ties
    const int new_id = 256 + static_cast<int>(merges.size());
    for (std::vector<int>& piece : pieces) piece = merge_pair(piece, best->first, new_id);
    merges.push_back(best->first);
  }
  return merges;
}

std::vector<int> encode_with_special(const std::string& text, const std::vector<Pair>& merges,
                                     const std::map<std::string, int>& special) {
  std::vector<int> ids;
  const auto append_ordinary = [&](const std::string& ordinary) {
    const std::vector<int> part = encode_chunks(ordinary, merges);
    ids.insert(ids.end(), part.begin(), part.end());
  };
  size_t start = 0;
  while (start < text.size()) {
    size_t next = std::string::npos;  // where the earliest special token starts
    const std::pair<const std::string, int>* found = nullptr;
    for (const auto& entry : special) {
      const size_t at = text.find(entry.first, start);
      if (at < next) {
        next = at;
        found = &entry;
      }
    }
    if (found == nullptr) break;
    append_ordinary(text.substr(start, next - start));
    ids.push_back(found->second);
    start = next + found->first.size();
  }
  append_ordinary(text.substr(start));
  return ids;
}

}  // namespace ch01
