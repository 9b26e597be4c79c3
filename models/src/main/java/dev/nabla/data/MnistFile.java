package dev.nabla.data;

/** The four canonical MNIST files: their IDX names and the MD5 of each one's gzipped form as the mirrors serve it. */
enum MnistFile {
    TRAIN_IMAGES("train-images-idx3-ubyte", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    TRAIN_LABELS("train-labels-idx1-ubyte", "d53e105ee54ea40749a09fcbcd1e9432"),
    TEST_IMAGES("t10k-images-idx3-ubyte", "9fb629c4189551a2d022fa330f9573f3"),
    TEST_LABELS("t10k-labels-idx1-ubyte", "ec29112dd5afa0611ce80d1b7f02629c");

    /** The subfolder of the data folder that holds these files. */
    static final String FOLDER = "mnist";

    final String idxName;
    final String gzMd5;

    MnistFile(String idxName, String gzMd5) {
        this.idxName = idxName;
        this.gzMd5 = gzMd5;
    }

    String gzName() {
        return idxName + ".gz";
    }
}
