EXPECT = {}
def expected(key, label, role):
    return None
