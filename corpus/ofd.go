package corpus

import "errors"

func ofdText(data []byte) (string, error)  { return "", errors.New("todo") }
func xlsxText(data []byte) (string, error) { return "", errors.New("todo") }
func pdfText(data []byte) (string, error)  { return "", errors.New("todo") }
