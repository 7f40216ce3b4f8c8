#!/usr/bin/python3
"""The classic baseline chapter 09's GPT classifier has to beat: TF-IDF on word 1-2 grams plus logistic
regression (scikit-learn), on the same split (data/cache/spam_assassin/{train,val,test}.tsv).

    /usr/bin/python3 tests/bench/spam_tfidf.py [--data DIR | --train F --val F --test F] [--json]

Trains on train.tsv only, picks the regularisation C on val.tsv (macro-F1; the GPT likewise keeps its best
epoch by validation), and scores test.tsv once. Prints accuracy, macro-F1, per-class precision and recall,
the confusion matrix and the time of each step; --json prints one JSON object instead, with the keys of
`minillm classify eval --json` (accuracy, macro_f1, per_class, confusion) plus labels, seconds and settings,
so chapter 09's demo can show both side by side. Exit status 2 when scikit-learn or the data is missing.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "data", "cache", "spam_assassin")
C_GRID = (1.0, 10.0, 100.0, 1000.0)  # inverse regularisation strengths tried on val
TOP = 12  # the n-grams with the largest weights towards each class, printed to show what the model reads


def read_tsv(path):
    labels, texts = [], []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            label, tab, text = line.rstrip("\n").partition("\t")
            if not tab or not text:
                sys.exit(f"error: {path}:{number}: expected 'label<TAB>text'")
            labels.append(label)
            texts.append(text)
    return labels, texts


def scores(truth, predicted, labels):
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0)
    return {
        "accuracy": accuracy_score(truth, predicted),
        "macro_f1": f1_score(truth, predicted, labels=labels, average="macro", zero_division=0),
        "per_class": {label: {"precision": float(precision[i]), "recall": float(recall[i]),
                              "f1": float(f1[i]), "support": int(support[i])}
                      for i, label in enumerate(labels)},
        # rows: the true label, columns: the predicted one, both in `labels` order
        "confusion": confusion_matrix(truth, predicted, labels=labels).tolist(),
    }


def vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    # word 1-2 grams; sublinear tf (1 + log tf) so one word repeated 50 times does not drown the rest
    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)


def classifier(c):
    from sklearn.linear_model import LogisticRegression

    # class_weight="balanced": spam is 30% of the data; the GPT's classifier weights its classes likewise
    return LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="liblinear")


def run(paths):
    from sklearn.metrics import f1_score

    seconds = {}
    started = time.perf_counter()
    train_y, train_x = read_tsv(paths["train"])
    val_y, val_x = read_tsv(paths["val"])
    test_y, test_x = read_tsv(paths["test"])
    labels = sorted(set(train_y))
    seconds["read"] = time.perf_counter() - started

    t = time.perf_counter()
    tfidf = vectorizer()
    train_m = tfidf.fit_transform(train_x)
    val_m = tfidf.transform(val_x)
    seconds["tfidf"] = time.perf_counter() - t

    t = time.perf_counter()
    best = None
    for c in C_GRID:
        model = classifier(c).fit(train_m, train_y)
        f1 = f1_score(val_y, model.predict(val_m), labels=labels, average="macro")
        if best is None or f1 > best[0]:
            best = (f1, c, model)
    seconds["train"] = time.perf_counter() - t

    t = time.perf_counter()
    predicted = best[2].predict(tfidf.transform(test_x))
    seconds["predict"] = time.perf_counter() - t
    seconds["total"] = time.perf_counter() - started

    result = scores(test_y, predicted, labels)
    weights = best[2].coef_[0]  # one row for two classes: > 0 pushes towards labels[1]
    names = tfidf.get_feature_names_out()
    order = weights.argsort()
    result["top_features"] = {labels[0]: [str(names[i]) for i in order[:TOP]],
                              labels[-1]: [str(names[i]) for i in order[::-1][:TOP]]} if len(labels) == 2 else {}
    result.update({
        "model": "TF-IDF (word 1-2 grams, sublinear tf, min_df 2) + logistic regression (balanced classes)",
        "labels": labels, "C": best[1], "val_macro_f1": best[0], "features": len(tfidf.vocabulary_),
        "examples": {"train": len(train_y), "val": len(val_y), "test": len(test_y)},
        "seconds": seconds,
    })
    return result


def print_report(r):
    s = r["seconds"]
    print(f"model: {r['model']}")
    print(f"data: {r['examples']['train']} train, {r['examples']['val']} val, {r['examples']['test']} test; "
          f"{r['features']} features; C = {r['C']:g} chosen on val (val macro-F1 {r['val_macro_f1']:.4f})")
    print(f"test accuracy: {r['accuracy']:.4f}")
    print(f"test macro-F1: {r['macro_f1']:.4f}")
    for label, c in r["per_class"].items():
        print(f"  {label:>6}: precision {c['precision']:.4f}  recall {c['recall']:.4f}  "
              f"f1 {c['f1']:.4f}  ({c['support']} examples)")
    print("confusion (rows: true, columns: predicted, order " + " ".join(r["labels"]) + "):")
    for label, row in zip(r["labels"], r["confusion"]):
        print(f"  {label:>6}: " + " ".join(f"{n:5d}" for n in row))
    for label, grams in r["top_features"].items():
        print(f"heaviest n-grams for {label}: " + ", ".join(grams))
    print(f"seconds: read {s['read']:.2f}, tf-idf {s['tfidf']:.2f}, train ({len(C_GRID)} values of C) "
          f"{s['train']:.2f}, predict {s['predict']:.3f}, total {s['total']:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=DEFAULT_DATA, help="folder with train.tsv, val.tsv, test.tsv")
    for split in ("train", "val", "test"):
        parser.add_argument(f"--{split}", help=f"the {split} TSV (default: DIR/{split}.tsv)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    paths = {split: getattr(args, split) or os.path.join(args.data, f"{split}.tsv")
             for split in ("train", "val", "test")}
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("error: scikit-learn is missing (Debian: apt-get install python3-sklearn)", file=sys.stderr)
        return 2
    for path in paths.values():
        if not os.path.isfile(path):
            print(f"error: {path} is missing (run ./run fetch)", file=sys.stderr)
            return 2
    result = run(paths)
    if args.json:
        print(json.dumps(result))
    else:
        print_report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
