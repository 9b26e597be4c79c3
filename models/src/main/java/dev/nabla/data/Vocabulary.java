package dev.nabla.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A captioning vocabulary in the course's form: {@code idx_to_word} and {@code word_to_idx}, with
 * {@code <NULL>=0 <START>=1 <END>=2 <UNK>=3} first.
 *
 * <p>Text is tokenised as the course's COCO captions were encoded ({@code coco_captioning/README.md}):
 * lower-cased, every ASCII punctuation character deleted, split on whitespace. So Flickr8k's
 * {@code "A dog 's ball ."} becomes {@code [a, dog, s, ball]}.
 */
public final class Vocabulary {
    /** Padding after {@code <END>}; masked in the loss. */
    public static final String NULL = "<NULL>";
    /** The first input word of every caption. */
    public static final String START = "<START>";
    /** The last word of every caption. */
    public static final String END = "<END>";
    /** Any word not in the vocabulary. */
    public static final String UNK = "<UNK>";
    /** Ids of the four special words. */
    public static final int NULL_ID = 0, START_ID = 1, END_ID = 2, UNK_ID = 3;

    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private final List<String> idxToWord;
    private final Map<String, Integer> wordToIdx;

    /** A vocabulary from its word list; the first four must be the special words in order. */
    public Vocabulary(List<String> idxToWord) {
        List<String> specials = List.of(NULL, START, END, UNK);
        if (idxToWord.size() < 4 || !idxToWord.subList(0, 4).equals(specials)) {
            throw new IllegalArgumentException("Vocabulary: the first words must be " + specials + ", got "
                    + idxToWord.subList(0, Math.min(4, idxToWord.size())));
        }
        this.idxToWord = List.copyOf(idxToWord);
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < idxToWord.size(); i++) {
            if (m.put(idxToWord.get(i), i) != null) {
                throw new IllegalArgumentException("Vocabulary: the word '" + idxToWord.get(i) + "' appears twice");
            }
        }
        this.wordToIdx = Collections.unmodifiableMap(m);
    }

    /**
     * The vocabulary of a set of captions: the special words, then every word seen at least
     * {@code minCount} times, most frequent first (ties alphabetically, so the result is repeatable).
     */
    public static Vocabulary build(Collection<String> captions, int minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("Vocabulary.build: minCount must be at least 1, got " + minCount);
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (String c : captions) {
            for (String w : tokenize(c)) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        List<String> words = new ArrayList<>(List.of(NULL, START, END, UNK));
        counts.entrySet().stream()
                .filter(e -> e.getValue() >= minCount)
                .sorted((a, b) -> b.getValue() != a.getValue().intValue() ? b.getValue() - a.getValue()
                        : a.getKey().compareTo(b.getKey()))
                .forEach(e -> words.add(e.getKey()));
        return new Vocabulary(words);
    }

    /** Reads the course's {@code coco2014_vocab.json} ({@code idx_to_word} is used; {@code word_to_idx} is checked). */
    public static Vocabulary readCourseJson(Path file) throws IOException {
        JsonNode root = JsonFile.readObject(file, "the vocabulary file");
        JsonNode words = root.path("idx_to_word");
        if (!words.isArray()) {
            throw new IOException(file + ": no \"idx_to_word\" array");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode w : words) {
            if (!w.isTextual()) {
                throw new IOException(file + ": idx_to_word[" + list.size() + "] is " + w + ", not a string");
            }
            list.add(w.asText());
        }
        Vocabulary v;
        try {
            v = new Vocabulary(list);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        JsonNode w2i = root.path("word_to_idx");
        for (int i = 0; i < list.size(); i++) {
            JsonNode id = w2i.get(list.get(i));
            if (id != null && !(id.canConvertToExactIntegral() && id.canConvertToInt() && id.asInt() == i)) {
                throw new IOException(file + ": word_to_idx[" + list.get(i) + "] = " + id
                        + " but idx_to_word has it at " + i);
            }
        }
        return v;
    }

    /** The course's tokenisation: lower-case, delete ASCII punctuation, split on whitespace. */
    public static List<String> tokenize(String caption) {
        StringBuilder sb = new StringBuilder(caption.length());
        for (char ch : caption.toLowerCase(Locale.ROOT).toCharArray()) {
            if (PUNCTUATION.indexOf(ch) < 0) {
                sb.append(ch);
            }
        }
        String s = sb.toString().strip();
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\s+"));
    }

    /** Number of words, the special ones included. */
    public int size() {
        return idxToWord.size();
    }

    /** The word of an id. */
    public String word(int id) {
        return idxToWord.get(id);
    }

    /** The id of a word, {@code <UNK>} when it is not in the vocabulary. */
    public int id(String word) {
        return wordToIdx.getOrDefault(word, UNK_ID);
    }

    /** The words in id order. */
    public List<String> words() {
        return idxToWord;
    }

    /**
     * {@code [<START>, ids of the tokens..., <END>]} padded with {@code <NULL>} to {@code maxWords + 2} ids;
     * null when the caption has more than {@code maxWords} tokens (the course drops those).
     */
    public int[] encode(String caption, int maxWords) {
        List<String> tokens = tokenize(caption);
        if (tokens.size() > maxWords) {
            return null;
        }
        int[] row = new int[maxWords + 2];
        row[0] = START_ID;
        for (int i = 0; i < tokens.size(); i++) {
            row[i + 1] = id(tokens.get(i));
        }
        row[tokens.size() + 1] = END_ID;
        return row;
    }

    /** The words of a row of ids, without {@code <START>}, stopping at {@code <END>}; {@code <NULL>} skipped. */
    public List<String> decodeWords(int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            if (id == END_ID) {
                break;
            }
            if (id != NULL_ID && id != START_ID) {
                out.add(word(id));
            }
        }
        return out;
    }

    /** {@link #decodeWords} joined by spaces. */
    public String decode(int[] ids) {
        return String.join(" ", decodeWords(ids));
    }

    /** The course's JSON form: {@code {"idx_to_word": [...], "word_to_idx": {...}}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("idx_to_word", idxToWord);
        Map<String, Integer> w2i = new java.util.LinkedHashMap<>();
        for (int i = 0; i < idxToWord.size(); i++) {
            w2i.put(idxToWord.get(i), i);
        }
        m.put("word_to_idx", w2i);
        return m;
    }
}
