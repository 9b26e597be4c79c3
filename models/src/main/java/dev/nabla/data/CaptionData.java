package dev.nabla.data;

import java.util.List;

/**
 * A captioning split in the course's layout: image features (one row per image), encoded captions
 * (N, T+1) with the feature row of each, and for every image its name and its reference captions.
 *
 * @param features row-major (images, featureDim)
 * @param captions (N, T+1) word ids: {@code <START>} ... {@code <END>}, {@code <NULL>}-padded
 * @param imageIdxs the feature row of each caption
 * @param images the file name or URL of each feature row
 * @param references the reference captions of each feature row, as raw text (the BLEU references)
 */
public record CaptionData(String name, float[] features, int featureDim, int[][] captions, int[] imageIdxs,
                          List<String> images, List<List<String>> references) {
    /** Checks that the parts line up. */
    public CaptionData {
        if (featureDim < 1 || features.length != images.size() * featureDim) {
            throw new IllegalArgumentException("CaptionData " + name + ": " + features.length + " feature values for "
                    + images.size() + " images of " + featureDim);
        }
        if (captions.length != imageIdxs.length || references.size() != images.size()) {
            throw new IllegalArgumentException("CaptionData " + name + ": " + captions.length + " captions but "
                    + imageIdxs.length + " image indices; " + references.size() + " reference lists for "
                    + images.size() + " images");
        }
        for (int i = 0; i < imageIdxs.length; i++) {
            if (imageIdxs[i] < 0 || imageIdxs[i] >= images.size()) {
                throw new IllegalArgumentException("CaptionData " + name + ": caption " + i + " points at image "
                        + imageIdxs[i] + ", outside [0, " + images.size() + ")");
            }
        }
    }

    /** Number of images (feature rows). */
    public int imageCount() {
        return images.size();
    }

    /** The features of the given image rows, row-major (rows.length, featureDim). */
    public float[] featureRows(int[] rows) {
        float[] out = new float[rows.length * featureDim];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * featureDim, out, i * featureDim, featureDim);
        }
        return out;
    }
}
