"""Advisory polls (民意征询): voting, secret ballots, results, codes and paper tallies."""
