/** Loads every file that registers computed fields or display names. */
import './mail';
import './loyalty';
import './product';
import './partner';
import './partner-invoicing';
import './pos';
import './display-names';
import './product-stock';
import './user';
import './currency';
